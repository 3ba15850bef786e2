package io.agentbus.sessions;

import io.agentbus.config.Setting;
import io.agentbus.testing.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Two real nodes in this JVM, members of one Hazelcast cluster (TCP-IP join on loopback) sharing the first node's
 * embedded Kafka: a task owned by one node can be run by an agent on the other.
 */
final class TwoNodes implements AutoCloseable {

  final TestNode first;
  final TestNode second;

  private TwoNodes(TestNode first, TestNode second) {
    this.first = first;
    this.second = second;
  }

  static TwoNodes start(Map<String, String> overrides) throws Exception {
    int port1 = freePort();
    int port2 = freePort();
    String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
    Map<String, String> common = new HashMap<>(overrides);
    common.put(Setting.CLUSTER_NAME.key(), "sessions-" + UUID.randomUUID());
    common.put(Setting.CLUSTER_JOIN.key(), members);
    Map<String, String> one = new HashMap<>(common);
    one.put(Setting.CLUSTER_PORT.key(), String.valueOf(port1));
    TestNode first = TestNode.start(one);
    try {
      Map<String, String> two = new HashMap<>(common);
      two.put(Setting.CLUSTER_PORT.key(), String.valueOf(port2));
      two.put(Setting.KAFKA_BOOTSTRAP.key(), first.node().kafkaBootstrap());
      return new TwoNodes(first, TestNode.start(two));
    } catch (Exception | Error e) {
      first.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  void assertNoBlockedEventLoop() {
    first.assertNoBlockedEventLoop();
    second.assertNoBlockedEventLoop();
  }

  @Override
  public void close() {
    second.close();
    first.close();
  }
}
