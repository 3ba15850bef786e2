package io.agentbus.launcher.bench;

import ch.qos.logback.classic.Level;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The bench's window into the cluster: a Hazelcast lite member (no data, never taken for a node) with a clustered
 * Vert.x, to call the nodes' membership bench hooks ({@code agentbus.membership.node.<id>.bench.*}) and to note when
 * Hazelcast reports a member gone.
 */
final class ClusterProbe implements AutoCloseable {

  private static final DeliveryOptions SLOW = new DeliveryOptions().setSendTimeout(60_000);

  private final HazelcastInstance hazelcast;
  private final Vertx vertx;
  private final Map<String, Long> removedAtMicros = new ConcurrentHashMap<>();

  private ClusterProbe(HazelcastInstance hazelcast, Vertx vertx) {
    this.hazelcast = hazelcast;
    this.vertx = vertx;
  }

  static ClusterProbe join(String clusterName, List<String> members) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.hazelcast")).setLevel(Level.ERROR);
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName).setLiteMember(true).setInstanceName("bench-probe-" + UUID.randomUUID());
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getNetworkConfig().setPort(0).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", "bench-probe-" + UUID.randomUUID());
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
    Vertx vertx = Vertx.builder()
        .with(new io.vertx.core.VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered().await(60, TimeUnit.SECONDS);
    ClusterProbe probe = new ClusterProbe(hz, vertx);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String node = event.getMember().getAttribute("__vertx.nodeId");
        if (node != null) {
          probe.removedAtMicros.put(node, MembershipBench.nowMicros());
        }
      }
    });
    return probe;
  }

  /** Calls {@code bench.<operation>} on one node and waits for its answer. */
  JsonObject call(String nodeId, String operation, JsonObject body) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.membershipOn(nodeId, "bench." + operation), body, SLOW)
        .await(70, TimeUnit.SECONDS).body();
  }

  /** When Hazelcast told this member that {@code nodeId} left, in epoch microseconds, or null. */
  Long removedAtMicros(String nodeId) {
    return removedAtMicros.get(nodeId);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
    hazelcast.shutdown();
  }
}
