package io.agentbus.testing;

import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.node.Node;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real node in this JVM for tests: embedded Kafka, Hazelcast and every verticle, on free loopback ports, a fresh
 * work directory, its own cluster name, and an event loop considered blocked after
 * {@link BlockedEventLoopGuard#MAX_EVENT_LOOP_MS}.
 */
public final class TestNode implements AutoCloseable {

  private final Node node;

  private TestNode(Node node) {
    this.node = node;
  }

  public static TestNode start(Map<String, String> overrides) throws Exception {
    Path work = Files.createTempDirectory("agentbus-test-");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Setting.NODE_WORK_DIR.key(), work.toString());
    settings.put(Setting.HTTP_PORT.key(), "0");
    settings.put(Setting.GRPC_PORT.key(), "0");
    settings.put(Setting.KAFKA_EMBEDDED_PORT.key(), "0");
    settings.put(Setting.CLUSTER_PORT.key(), "0");
    settings.put(Setting.CLUSTER_NAME.key(), "test-" + UUID.randomUUID());
    settings.put(Setting.VERTX_MAX_EVENT_LOOP_EXECUTE_MS.key(), String.valueOf(BlockedEventLoopGuard.MAX_EVENT_LOOP_MS));
    settings.put(Setting.VERTX_EVENT_LOOPS.key(), "4");
    settings.put(Setting.AUTH_MODE.key(), "dev-none");
    settings.put(Setting.CLUSTER_CONFIG.key(), projectRoot().resolve("cluster-config/single-node.xml").toString());
    settings.putAll(overrides);
    return new TestNode(Node.start(NodeConfig.load(List.of(), Map.of(), settings)));
  }

  public static Path projectRoot() {
    return Path.of(System.getProperty("agentbus.project.root", "..")).toAbsolutePath().normalize();
  }

  public Node node() {
    return node;
  }

  /** Fails if any event loop of the node was blocked longer than allowed. */
  public void assertNoBlockedEventLoop() {
    Counter blocked = node.context().registry().find("agentbus.eventloop.blocked").counter();
    if (blocked != null && blocked.count() > 0) {
      throw new AssertionError("an event loop was blocked " + (long) blocked.count() + " time(s); see the log");
    }
  }

  @Override
  public void close() {
    node.drainAndStop(Duration.ZERO);
  }
}
