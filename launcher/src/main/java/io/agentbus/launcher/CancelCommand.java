package io.agentbus.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cancels a task. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancel a task: its agent is told to stop and the task ends CANCELLED.",
        "A task that already ended is not changed: the node answers task-already-terminal and the command exits 2."})
final class CancelCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "Task id")
  String id;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the cancelled event, at most 1024 chars)")
  String reason;

  @Override
  int run(AgentbusApi api, PrintWriter out) throws IOException, ProblemException {
    ApiReply reply = api.cancel(id, reason);
    if (json) {
      out.println(reply.raw());
      out.flush();
    } else {
      TaskPrinter.outcome(out, reply.body());
    }
    return ExitCodes.OK;
  }
}
