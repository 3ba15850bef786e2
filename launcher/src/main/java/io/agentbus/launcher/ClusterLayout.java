package io.agentbus.launcher;

import io.agentbus.node.FreePorts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the nodes of a local cluster live: names {@code node-1..node-N}, consecutive HTTP, gRPC and cluster ports from
 * the bases (a base of 0: each node's HTTP and gRPC ports are picked by the node, cluster ports are picked here
 * because every member must know them all beforehand), and the TCP-IP member list they join.
 */
record ClusterLayout(List<Member> members) {

  static final String HOST = "127.0.0.1";

  /** One node: its name, its HTTP and gRPC ports (0: the node picks one) and its Hazelcast member port. */
  record Member(String name, int httpPort, int grpcPort, int clusterPort) {
  }

  static ClusterLayout of(int nodes, int baseHttpPort, int baseGrpcPort, int baseClusterPort) throws IOException {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1, was " + nodes);
    }
    checkRange("--base-http-port", baseHttpPort, nodes);
    checkRange("--base-grpc-port", baseGrpcPort, nodes);
    checkRange("--base-cluster-port", baseClusterPort, nodes);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      int http = baseHttpPort == 0 ? 0 : baseHttpPort + i;
      int grpc = baseGrpcPort == 0 ? 0 : baseGrpcPort + i;
      int cluster = baseClusterPort == 0 ? freePortOtherThan(members) : baseClusterPort + i;
      members.add(new Member("node-" + (i + 1), http, grpc, cluster));
    }
    return new ClusterLayout(List.copyOf(members));
  }

  private static int freePortOtherThan(List<Member> taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = FreePorts.pick();
      if (taken.stream().noneMatch(m -> m.clusterPort() == port)) {
        return port;
      }
    }
    throw new IOException("no distinct free port found in 100 attempts");
  }

  private static void checkRange(String option, int base, int nodes) {
    if (base < 0 || base + nodes - 1 > 65535) {
      throw new IllegalArgumentException(option + " " + base + " leaves no room for " + nodes + " consecutive ports");
    }
  }

  /** The value of {@code cluster.join}: every member's {@code host:port}. */
  String join() {
    return members.stream().map(m -> HOST + ":" + m.clusterPort()).collect(Collectors.joining(","));
  }
}
