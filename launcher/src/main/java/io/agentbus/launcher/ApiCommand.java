package io.agentbus.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that talks to a node's REST API: it has {@code --url} and {@code --json}, and turns a problem answer or
 * an unreachable node into a message on stderr and exit code {@link ExitCodes#REQUEST_ERROR}.
 */
abstract class ApiCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ServerUrlOption server;

  @Option(names = "--json", description = "Print the node's JSON as it came instead of human-readable text")
  boolean json;

  @Override
  public final Integer call() throws InterruptedException {
    AgentbusApi api = new AgentbusApi(server.baseUri());
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(api, spec.commandLine().getOut());
    } catch (ProblemException e) {
      err.println("agentbus: " + e.problem().describe());
    } catch (IOException e) {
      err.println("agentbus: request to " + api.base() + " failed: " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
    }
    err.flush();
    return ExitCodes.REQUEST_ERROR;
  }

  /** Does the command's work; returns its exit code. */
  abstract int run(AgentbusApi api, PrintWriter out) throws IOException, ProblemException, InterruptedException;
}
