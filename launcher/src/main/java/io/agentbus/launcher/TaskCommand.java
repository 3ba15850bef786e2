package io.agentbus.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Shows one task. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Show one task: state, input, result or error.")
final class TaskCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "Task id")
  String id;

  @Override
  int run(AgentbusApi api, PrintWriter out) throws IOException, ProblemException {
    ApiReply reply = api.get(id);
    if (json) {
      out.println(TaskPrinter.pretty(reply.body()));
      out.flush();
    } else {
      TaskPrinter.details(out, reply.body(), Instant.now());
    }
    return ExitCodes.OK;
  }
}
