package io.agentbus.launcher;

import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists recent tasks as a table. */
@Command(name = "tasks", mixinStandardHelpOptions = true, sortOptions = false,
    description = "List recent tasks, newest first: id, type, state, attempt, age, agent.")
final class TasksCommand extends ApiCommand {

  @Option(names = "--state", paramLabel = "STATE", description = "Only tasks in this state, e.g. RUNNING or FAILED")
  String state;

  @Option(names = "--type", paramLabel = "AGENT_TYPE", description = "Only tasks of this agent type")
  String agentType;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N tasks (1-1000, default ${DEFAULT-VALUE})")
  int limit;

  @Override
  int run(AgentbusApi api, PrintWriter out) throws java.io.IOException, ProblemException {
    ApiReply reply = api.list(state, agentType, limit);
    if (json) {
      out.println(reply.raw());
      out.flush();
    } else {
      TaskTable.print(out, reply.body().path("tasks"), Instant.now());
    }
    return ExitCodes.OK;
  }
}
