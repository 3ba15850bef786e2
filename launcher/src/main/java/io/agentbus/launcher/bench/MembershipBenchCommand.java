package io.agentbus.launcher.bench;

import io.agentbus.config.Setting;
import io.agentbus.launcher.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks the replicated membership across three node processes and compares it with Apache Pekko's figures. */
@Command(name = "membership", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark CRDT membership across 3 nodes, each its own JVM (launcher/agentbus up), on loopback.",
        "Starts the nodes with membership.bench-hooks=true and joins them as a Hazelcast lite member to drive the",
        "hooks. Measures: convergence p50/p99 from a registration on one node until every node sees it; delta bytes",
        "per registration; a new node's state transfer with each --sizes of registered agents; and the time from",
        "kill -9 of a node until its agents are gone on every survivor. Stops every node it started.",
        "Exit codes: 0 done, 2 the cluster could not be started or did not settle."})
public final class MembershipBenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "3000",
      description = "Timed registrations (default ${DEFAULT-VALUE}); a third as many are made first, unmeasured")
  int samples;

  @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "3",
      description = "Pause between registrations on each node (default ${DEFAULT-VALUE})")
  long intervalMs;

  @Option(names = "--sizes", paramLabel = "N,N", split = ",", defaultValue = "10000,100000",
      description = "Registered agents when a new node joins, ascending (default ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(names = "--node-java-opts", paramLabel = "OPTS", defaultValue = "",
      description = "Extra JVM options of the nodes, e.g. GC logging (default: none)")
  String nodeJavaOpts;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the nodes keep data and logs (default: a fresh temporary directory)")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("agentbus.home", ".")).toAbsolutePath();
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("agentbus-bench-");
    if (samples < 3 || intervalMs < 1 || sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 3)) {
      spec.commandLine().getErr().println("agentbus: --samples >= 3, --interval-ms >= 1, --sizes of at least 3");
      return ExitCodes.REQUEST_ERROR;
    }
    try (MembershipBench bench = new MembershipBench(home, dir, nodeJavaOpts, out)) {
      MembershipBench.Results results = bench.run(samples, intervalMs, sizes.stream().sorted().toList());
      out.println();
      MembershipBenchReport.lines(results, Long.parseLong(Setting.MEMBERSHIP_ANTI_ENTROPY_MS.defaultValue()))
          .forEach(out::println);
      return ExitCodes.OK;
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("agentbus: " + e.getMessage());
      return ExitCodes.REQUEST_ERROR;
    }
  }
}
