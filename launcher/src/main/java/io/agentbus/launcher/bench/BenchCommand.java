package io.agentbus.launcher.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bench} command group. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure a node under load, next to a bare Vert.x baseline on the same machine (http, grpc),",
        "durable tool calls next to raw Kafka on the same broker (tools),",
        "or the replicated membership across three node processes (membership)."},
    subcommands = {HttpBenchCommand.class, GrpcBenchCommand.class, ToolsBenchCommand.class,
        MembershipBenchCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
