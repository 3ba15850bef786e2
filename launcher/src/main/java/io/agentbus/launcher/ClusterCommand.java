package io.agentbus.launcher;

import io.agentbus.node.EmbeddedKafka;
import io.agentbus.node.HomePaths;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a local cluster: one embedded Kafka in this process, then N nodes, each an {@code agentbus up} process,
 * joined by TCP-IP on consecutive ports; runs until Ctrl-C / SIGTERM, then stops the nodes (each drains) and Kafka.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {"Start a local cluster of N nodes sharing one Kafka.",
        "Kafka runs embedded in this process; each node is its own `agentbus up` process (node-1..node-N) on",
        "consecutive HTTP and cluster ports, joined by TCP-IP. Node output is forwarded with the node's name in front.",
        "Ctrl-C or SIGTERM stops every node (each drains its tasks), then Kafka; the exit status is 0 only if every",
        "node stopped cleanly. A node that dies on its own is reported at once; the others keep running."})
public final class ClusterCommand implements Callable<Integer> {

  private static final Duration START_BOUND = Duration.ofSeconds(180);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--base-http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "HTTP port of node-1, then +1 per node; 0: each node picks a free one (default ${DEFAULT-VALUE})")
  int baseHttpPort;

  // not 9090 (a single node's default): node-3 would take 9092, the embedded Kafka's port
  @Option(names = "--base-grpc-port", paramLabel = "PORT", defaultValue = "9190",
      description = "gRPC port of node-1, then +1 per node; 0: each node picks a free one (default ${DEFAULT-VALUE})")
  int baseGrpcPort;

  @Option(names = "--base-cluster-port", paramLabel = "PORT", defaultValue = "5701",
      description = "Hazelcast port of node-1, then +1 per node; 0: free ports (default ${DEFAULT-VALUE})")
  int baseClusterPort;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "work/cluster",
      description = "Kafka's data in DIR/kafka, each node's in DIR/node-<i> (default ${DEFAULT-VALUE})")
  String workDir;

  @Option(names = "--roles", paramLabel = "LIST", description = "Components every node runs (node.roles)")
  String roles;

  @Option(names = "--cluster-config", paramLabel = "FILE", defaultValue = "cluster-config/tcp-ip.xml",
      description = "Hazelcast member configuration of every node (default ${DEFAULT-VALUE})")
  String clusterConfig;

  @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
      description = "Port of the embedded Kafka; 0 picks a free one (default ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Use this Kafka instead of an embedded one")
  String kafka;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting for every node (repeatable)")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the nodes may take to drain and exit after SIGTERM before they are killed"
          + " (default ${DEFAULT-VALUE})")
  Duration stopTimeout;

  @Override
  public Integer call() throws Exception {
    ClusterLayout layout;
    try {
      layout = ClusterLayout.of(nodes, baseHttpPort, baseGrpcPort, baseClusterPort);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintStream out = System.out;
    Path script = HomePaths.home().resolve("launcher/agentbus");
    if (!Files.isExecutable(script)) {
      System.err.println("agentbus cluster: cannot start nodes: no launcher script at " + script);
      return 2;
    }
    Path work = HomePaths.writable(workDir);
    EmbeddedKafka embedded;
    try {
      embedded = kafka == null ? EmbeddedKafka.start(work.resolve("kafka"), kafkaPort, 0) : null;
    } catch (Exception e) {
      System.err.println("agentbus cluster: the embedded Kafka could not start on port " + kafkaPort + ": " + e
          + " (--kafka-port 0 picks a free port)");
      return 1;
    }
    String bootstrap = embedded != null ? embedded.bootstrap() : kafka;
    LocalCluster cluster = new LocalCluster(embedded, out, System.err);
    StopSignals.onTerminate(cluster::requestStop);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(cluster), "agentbus-cluster-shutdown"));
    for (ClusterLayout.Member member : layout.members()) {
      Path nodeDir = work.resolve(member.name());
      cluster.add(ClusterNode.start(member.name(), upCommand(script, layout, member, nodeDir, bootstrap),
          Map.of("AGENTBUS_NO_BUILD", "1", "AGENTBUS_LOG_DIR", nodeDir.resolve("logs").toString()), out));
    }
    if (!cluster.awaitUp(START_BOUND)) {
      if (cluster.stopWasRequested()) {
        return cluster.stop(stopTimeout);
      }
      boolean exited = cluster.nodes().stream().anyMatch(node -> !node.isAlive());
      System.err.println("agentbus cluster: not every node came up" + (exited ? "" : " within "
          + START_BOUND.toSeconds() + " s") + "; stopping the cluster");
      cluster.stop(stopTimeout);
      return 1;
    }
    printSummary(out, layout, cluster, bootstrap, embedded != null);
    cluster.awaitStopRequest();
    return cluster.stop(stopTimeout);
  }

  private List<String> upCommand(Path script, ClusterLayout layout, ClusterLayout.Member member, Path nodeDir,
                                 String bootstrap) {
    List<String> command = new ArrayList<>(List.of(script.toString(), "up",
        "--node-id", member.name(),
        "--port", String.valueOf(member.httpPort()),
        "--kafka", bootstrap,
        "--cluster-config", HomePaths.existing(clusterConfig).toString(),
        "--join", layout.join(),
        "--set", "grpc.port=" + member.grpcPort(),
        "--set", "cluster.port=" + member.clusterPort(),
        "--set", "cluster.host=" + ClusterLayout.HOST,
        "--set", "node.work-dir=" + nodeDir));
    if (roles != null) {
      command.addAll(List.of("--roles", roles));
    }
    settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
    return command;
  }

  // one print, so no node's output lands in the middle of it
  private static void printSummary(PrintStream out, ClusterLayout layout, LocalCluster cluster, String bootstrap,
                                   boolean embedded) {
    long self = ProcessHandle.current().pid();
    StringBuilder summary = new StringBuilder("agentbus cluster of " + layout.members().size() + " nodes is up\n");
    for (int i = 0; i < layout.members().size(); i++) {
      ClusterLayout.Member member = layout.members().get(i);
      ClusterNode node = cluster.nodes().get(i);
      String http = node.httpAddress() == null ? "(no gateway)" : node.httpAddress();
      summary.append(String.format("  %-8s %-26s member %s:%d  pid %d%n", member.name(), http, ClusterLayout.HOST,
          member.clusterPort(), node.pid()));
    }
    summary.append("  Kafka    ").append(bootstrap)
        .append(embedded ? "  (embedded in this process, pid " + self + ")" : "").append('\n')
        .append("  members  ").append(layout.join()).append('\n')
        .append("  stop     Ctrl-C, or kill ").append(self).append(": every node drains and stops, then Kafka\n");
    out.print(summary);
    out.flush();
  }

  private void stopQuietly(LocalCluster cluster) {
    try {
      cluster.stop(stopTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
