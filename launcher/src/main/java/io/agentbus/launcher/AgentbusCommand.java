package io.agentbus.launcher;

import io.agentbus.launcher.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The agentbus command line. */
@Command(name = "agentbus", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A clustered event-bus fabric for AI agents.",
    subcommands = {UpCommand.class, ClusterCommand.class, SubmitCommand.class, TasksCommand.class, TaskCommand.class, CancelCommand.class,
        EventsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class AgentbusCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new AgentbusCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    UpCommand.installFooter(cmd);
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
