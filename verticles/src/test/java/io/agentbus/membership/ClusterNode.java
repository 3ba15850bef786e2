package io.agentbus.membership;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentRef;
import io.agentbus.api.AgentStatus;
import io.agentbus.api.Codecs;
import io.agentbus.api.MembershipSummary;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.NodeLifecycle;
import io.agentbus.testing.Await;
import io.agentbus.testing.BlockedEventLoopGuard;
import io.agentbus.testing.TestNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One node of an in-process test cluster: its own Hazelcast member on loopback (TCP-IP join listing every member,
 * 1 s heartbeats), its own clustered Vert.x with a blocked-event-loop guard, and a {@link MembershipVerticle} only.
 */
final class ClusterNode implements AutoCloseable {

  final String nodeId;
  final HazelcastInstance hazelcast;
  final Vertx vertx;
  final BlockedEventLoopGuard guard;
  final long deployMillis;

  private ClusterNode(String nodeId, HazelcastInstance hazelcast, Vertx vertx, BlockedEventLoopGuard guard,
                      long deployMillis) {
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.vertx = vertx;
    this.guard = guard;
    this.deployMillis = deployMillis;
  }

  static ClusterNode start(String clusterName, String nodeId, int port, List<Integer> memberPorts,
                           Map<String, String> settings) throws Exception {
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(hazelcastConfig(clusterName, nodeId, port, memberPorts));
    Vertx vertx = null;
    try {
      vertx = Await.result(Vertx.builder()
          .with(BlockedEventLoopGuard.options().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
          .withClusterManager(new HazelcastClusterManager(hz))
          .buildClustered());
      BlockedEventLoopGuard guard = BlockedEventLoopGuard.install(vertx);
      Codecs.register(vertx.eventBus());
      NodeContext context = new NodeContext(nodeId, NodeConfig.defaults().withAll(settings, "test"),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), hz, "", HealthChecks.create(vertx),
          new NodeLifecycle());
      long begin = System.nanoTime();
      Await.result(vertx.deployVerticle(new MembershipVerticle(context)));
      return new ClusterNode(nodeId, hz, vertx, guard, (System.nanoTime() - begin) / 1_000_000);
    } catch (Exception | Error e) {
      if (vertx != null) {
        vertx.close();
      }
      hz.getLifecycleService().terminate();
      throw e;
    }
  }

  private static Config hazelcastConfig(String clusterName, String nodeId, int port, List<Integer> memberPorts)
      throws IOException {
    Config hz = new FileSystemXmlConfig(TestNode.projectRoot().resolve("cluster-config/single-node.xml").toFile());
    hz.setClusterName(clusterName);
    hz.setInstanceName(clusterName + "-" + nodeId);
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    hz.getNetworkConfig().getRestApiConfig().setEnabled(false);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getTcpIpConfig().setEnabled(true)
        .setMembers(memberPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    hz.getMemberAttributeConfig().setAttribute(Peers.NODE_ID, nodeId);
    return hz;
  }

  void register(AgentDescriptor agent) throws Exception {
    Await.result(vertx.eventBus().request(Addresses.MEMBERSHIP_REGISTER, agent));
  }

  void deregister(String agentId) throws Exception {
    Await.result(vertx.eventBus().request(Addresses.MEMBERSHIP_DEREGISTER, new AgentRef(agentId)));
  }

  /** Registers {@code count} synthetic agents {@code <prefix>-<n>} through the bench hook. */
  void registerSynthetic(String prefix, int count) throws Exception {
    Await.result(vertx.eventBus().request(Addresses.membershipOn(nodeId, BenchHooks.PREFIX + "register"),
        new JsonObject().put("prefix", prefix).put("count", count)));
  }

  List<AgentStatus> agents() {
    try {
      return Await.result(vertx.eventBus().<AgentList>request(Addresses.MEMBERSHIP_AGENTS, null)).body().agents();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Set<String> agentIds() {
    return agents().stream().map(s -> s.agent().id()).collect(Collectors.toSet());
  }

  AgentStatus agent(String id) {
    return agents().stream().filter(s -> s.agent().id().equals(id)).findFirst().orElse(null);
  }

  MembershipSummary summary() {
    try {
      return Await.result(vertx.eventBus().<MembershipSummary>request(Addresses.MEMBERSHIP_SUMMARY, null)).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A crash as Hazelcast sees it: the member vanishes without leaving. */
  void crash() throws Exception {
    hazelcast.getLifecycleService().terminate();
    Await.result(vertx.close());
  }

  @Override
  public void close() {
    try {
      Await.result(vertx.close());
    } catch (Exception ignored) {
      // already closed by a crash
    }
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.shutdown();
    }
  }
}
