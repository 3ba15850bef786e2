package io.agentbus.node;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.config.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The node's health procedures (vertx-health-check, served at {@code /health}): {@code kafka} (the brokers answer a
 * describe-cluster within {@link #KAFKA_TIMEOUT_MS}) and {@code hazelcast} (the member runs, the cluster is ACTIVE and
 * how many members it sees). Each procedure reports its figures or its reason as data. Kafka's admin client is made
 * and closed off the event loop.
 */
final class HealthVerticle extends VerticleBase {

  static final String KAFKA = "kafka";
  static final String HAZELCAST = "hazelcast";
  static final int KAFKA_TIMEOUT_MS = 2000;

  private final NodeContext node;
  private Admin admin;

  HealthVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    node.health().register(HAZELCAST, 1000, this::hazelcast);
    return vertx.executeBlocking(() -> Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.kafkaBootstrap(),
            AdminClientConfig.CLIENT_ID_CONFIG, "agentbus-health-" + node.nodeId(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)))
        .onSuccess(created -> {
          admin = created;
          node.health().register(KAFKA, KAFKA_TIMEOUT_MS + 1000, this::kafka);
        });
  }

  private void hazelcast(Promise<Status> promise) {
    HazelcastInstance hz = node.hazelcast();
    if (!hz.getLifecycleService().isRunning()) {
      promise.complete(Status.KO(new JsonObject().put("reason", "the Hazelcast member is not running")));
      return;
    }
    ClusterState state = hz.getCluster().getClusterState();
    JsonObject data = new JsonObject().put("members", hz.getCluster().getMembers().size())
        .put("cluster_state", state.name());
    promise.complete(state == ClusterState.ACTIVE ? Status.OK(data) : Status.KO(data));
  }

  private void kafka(Promise<Status> promise) {
    admin.describeCluster(new DescribeClusterOptions().timeoutMs(KAFKA_TIMEOUT_MS)).nodes()
        .whenComplete((brokers, error) -> {
          if (error != null) {
            promise.tryComplete(Status.KO(new JsonObject().put("bootstrap", node.kafkaBootstrap())
                .put("reason", error.getClass().getSimpleName() + ": " + error.getMessage())));
          } else {
            promise.tryComplete(Status.OK(new JsonObject().put("bootstrap", node.kafkaBootstrap())
                .put("brokers", brokers.size())));
          }
        });
  }

  @Override
  public Future<?> stop() {
    node.health().unregister(KAFKA);
    node.health().unregister(HAZELCAST);
    Admin closing = admin;
    return closing == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          closing.close(Duration.ofSeconds(2));
          return null;
        });
  }
}
