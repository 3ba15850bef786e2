package io.agentbus.membership;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Up to {@code size} {@link ClusterNode}s in this JVM forming one cluster with a random name on loopback ports. */
final class InProcessCluster implements AutoCloseable {

  private final String name = "membership-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<ClusterNode> nodes = new ArrayList<>();

  InProcessCluster(int size) throws IOException {
    for (int i = 0; i < size; i++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        ports.add(s.getLocalPort());
      }
    }
  }

  ClusterNode start(String nodeId, Map<String, String> settings) throws Exception {
    ClusterNode node = ClusterNode.start(name, nodeId, ports.get(nodes.size()), ports, settings);
    nodes.add(node);
    return node;
  }

  List<ClusterNode> nodes() {
    return nodes;
  }

  void assertNoEventLoopBlocked() {
    nodes.forEach(n -> n.guard.assertNoneBlocked());
  }

  @Override
  public void close() {
    nodes.forEach(ClusterNode::close);
  }
}
