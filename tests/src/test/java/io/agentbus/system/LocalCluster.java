package io.agentbus.system;

import io.agentbus.node.EmbeddedKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Several nodes, each its own JVM started with {@code launcher/agentbus up}, forming one Hazelcast cluster over
 * TCP-IP on loopback and sharing one Kafka that this test JVM runs (so the Kafka outlives any node).
 */
final class LocalCluster implements AutoCloseable {

  private final EmbeddedKafka kafka;
  private final String clusterName = "system-cluster-" + UUID.randomUUID();
  private final List<Integer> memberPorts = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();

  private LocalCluster(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  /** Starts {@code size} nodes; {@code perNode.get(i)} adds settings to node i. */
  static LocalCluster start(int size, List<Map<String, String>> perNode) throws Exception {
    LocalCluster c = new LocalCluster(EmbeddedKafka.start(Files.createTempDirectory("agentbus-cluster-kafka-"), 0, 0));
    for (int i = 0; i < size; i++) {
      c.memberPorts.add(freePort());
      c.nodeIds.add("node" + (char) ('a' + i));
    }
    try {
      for (int i = 0; i < size; i++) {
        c.nodes.add(c.startNode(i, perNode.size() > i ? perNode.get(i) : Map.of()));
      }
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private NodeProcess startNode(int i, Map<String, String> extra) throws IOException, InterruptedException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("node.id", nodeIds.get(i));
    settings.put("cluster.name", clusterName);
    settings.put("cluster.config", NodeProcess.projectRoot().resolve("cluster-config/tcp-ip.xml").toString());
    settings.put("cluster.port", Integer.toString(memberPorts.get(i)));
    settings.put("cluster.join", memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    settings.put("kafka.bootstrap", kafka.bootstrap());
    settings.putAll(extra);
    return NodeProcess.start(settings);
  }

  /** Starts node {@code i} again (same id and member port), after it was killed or stopped. */
  NodeProcess restart(int i, Map<String, String> extra) throws IOException, InterruptedException {
    NodeProcess n = startNode(i, extra);
    nodes.set(i, n);
    return n;
  }

  NodeProcess node(int i) {
    return nodes.get(i);
  }

  String nodeId(int i) {
    return nodeIds.get(i);
  }

  int size() {
    return nodes.size();
  }

  String kafkaBootstrap() {
    return kafka.bootstrap();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    nodes.forEach(NodeProcess::close);
    kafka.stop();
  }
}
