package io.agentbus.events;

import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Creates agentbus's Kafka topics when they do not exist yet (brokers here do not auto-create topics). */
public final class Topics {

  private Topics() {
  }

  public static List<String> names(NodeConfig config) {
    return List.of(config.get(Setting.KAFKA_TOPIC_TASKS), config.get(Setting.KAFKA_TOPIC_INTENT),
        config.get(Setting.KAFKA_TOPIC_OBSERVATION), config.get(Setting.KAFKA_TOPIC_DEAD_LETTER));
  }

  public static Future<Void> ensure(Vertx vertx, NodeConfig config, String bootstrap) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx,
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, AdminClientConfig.CLIENT_ID_CONFIG, "agentbus-admin"));
    int partitions = config.getInt(Setting.KAFKA_TOPIC_PARTITIONS);
    short replication = (short) config.getInt(Setting.KAFKA_TOPIC_REPLICATION);
    return admin.listTopics()
        .compose(existing -> {
          List<NewTopic> missing = names(config).stream()
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, partitions, replication))
              .collect(Collectors.toList());
          return missing.isEmpty() ? Future.<Void>succeededFuture() : admin.createTopics(missing)
              .recover(err -> recheck(admin, config, err));
        })
        .eventually(admin::close);
  }

  // another node may have created the same topics at the same moment; only a topic still missing is a failure
  private static Future<Void> recheck(KafkaAdminClient admin, NodeConfig config, Throwable err) {
    return admin.listTopics().compose(now -> {
      Set<String> missing = names(config).stream().filter(n -> !now.contains(n)).collect(Collectors.toSet());
      return missing.isEmpty() ? Future.<Void>succeededFuture() : Future.failedFuture(err);
    });
  }
}
