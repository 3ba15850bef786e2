package io.agentbus.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.node.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * One real Kafka broker (embedded KRaft, free loopback port) and one real Hazelcast member for the whole test JVM,
 * started on first use and stopped when the JVM exits. Tests that share them keep apart by their own topic names,
 * consumer groups and keys.
 */
public final class SharedInfra {

  private static EmbeddedKafka kafka;
  private static HazelcastInstance hazelcast;

  private SharedInfra() {
  }

  public static synchronized String kafkaBootstrap() {
    if (kafka == null) {
      try {
        kafka = EmbeddedKafka.start(Files.createTempDirectory("agentbus-shared-kafka-"), 0, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "stop-shared-kafka"));
    }
    return kafka.bootstrap();
  }

  public static synchronized HazelcastInstance hazelcast() {
    if (hazelcast == null) {
      Config config = new Config().setClusterName("shared-" + UUID.randomUUID());
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.setProperty("hazelcast.logging.type", "slf4j");
      config.setProperty("hazelcast.wait.seconds.before.join", "0");
      config.setProperty("hazelcast.shutdownhook.enabled", "false");
      config.getNetworkConfig().setPort(0).setPortAutoIncrement(true);
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      JoinConfig join = config.getNetworkConfig().getJoin();
      join.getAutoDetectionConfig().setEnabled(false);
      join.getMulticastConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(false);
      hazelcast = Hazelcast.newHazelcastInstance(config);
      Runtime.getRuntime().addShutdownHook(new Thread(hazelcast::shutdown, "stop-shared-hazelcast"));
    }
    return hazelcast;
  }
}
