package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A tool executor killed with kill -9 between a tool's effect and the commit of its intent's offset: the intent is
 * delivered again to the executor that replaces it, and the effect (a line the test_effect tool appends to a file)
 * still happens once. Two nodes in two JVMs share a Hazelcast cluster (the ledger survives on the other member) and
 * a Kafka the test runs.
 */
class ToolCrashSystemTest {

  private static final String GROUP_SETTINGS = "tools.consumer.session-timeout-ms";

  private static Map<String, String> executor(Path effects, String holdAt) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("node.roles", "gateway,tool-executor");
    s.put("tools.test.effect-file", effects.toString());
    s.put(GROUP_SETTINGS, "6000");
    if (holdAt != null) {
      s.put("tools.test.hold-at", holdAt);
    }
    return s;
  }

  @Test
  @DisplayName("kill -9 after the effect: before the offset commit the redelivered intent gets the recorded outcome; before the outcome is recorded it is reported in doubt; either way the effect happened once")
  void crashBetweenEffectAndCommit() throws Exception {
    Path effects = Files.createTempFile("agentbus-effects-", ".log");
    List<Map<String, String>> settings = List.of(Map.of("node.roles", "gateway,scheduler,observer"),
        executor(effects, "before-commit"));
    try (LocalCluster cluster = LocalCluster.start(2, settings);
         KafkaProducer<String, CloudEvent> producer = producer(cluster.kafkaBootstrap())) {
      String intents = "agent.intent";
      String observations = "agent.observation";

      // 1. the outcome is recorded and published, the node dies before committing the intent's offset
      ToolIntent first = intent("first");
      send(producer, intents, first);
      awaitTrue("the effect and the observation of the first intent", Duration.ofSeconds(60),
          () -> lines(effects).size() == 1 && observationsOf(cluster, observations, first).size() == 1);
      cluster.node(1).kill();
      cluster.restart(1, executor(effects, "after-effect"));
      awaitTrue("the first intent, delivered again, is answered from the ledger", Duration.ofSeconds(90),
          () -> observationsOf(cluster, observations, first).size() >= 2);
      List<ToolObservation> again = observationsOf(cluster, observations, first);
      assertThat(again).allSatisfy(o -> {
        assertThat(o.outcome().ok()).as(String.valueOf(o.outcome().error())).isTrue();
        assertThat(o.outcome()).isEqualTo(again.get(0).outcome());
      });
      assertThat(lines(effects)).as("the effect of the first intent happened once").containsExactly("first");

      // 2. the effect happens, the node dies before recording the outcome: not idempotent, so in doubt, not re-run
      ToolIntent second = intent("second");
      send(producer, intents, second);
      awaitTrue("the effect of the second intent", Duration.ofSeconds(60), () -> lines(effects).size() == 2);
      assertThat(observationsOf(cluster, observations, second)).isEmpty();
      cluster.node(1).kill();
      cluster.restart(1, executor(effects, null));
      awaitTrue("the second intent is answered after the crash", Duration.ofSeconds(90),
          () -> !observationsOf(cluster, observations, second).isEmpty());
      ToolObservation inDoubt = observationsOf(cluster, observations, second).get(0);
      assertThat(inDoubt.outcome().error().code()).isEqualTo("tool-in-doubt");
      assertThat(lines(effects)).as("each effect happened once").containsExactly("first", "second");
    }
  }

  private static ToolIntent intent(String line) {
    return new ToolIntent("/system-test/" + UUID.randomUUID(), "call-" + line, "task-" + line, "test_effect",
        Json.object().put("line", line), null, null, null, null);
  }

  private static KafkaProducer<String, CloudEvent> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
    p.put(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED.name());
    p.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
    return new KafkaProducer<>(p);
  }

  private static void send(KafkaProducer<String, CloudEvent> producer, String topic, ToolIntent intent)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, ToolCloudEvents.partitionKey(intent), ToolCloudEvents.intent(intent)))
        .get();
  }

  private static List<ToolObservation> observationsOf(LocalCluster cluster, String topic, ToolIntent intent) {
    return TasksTopic.readAll(cluster.kafkaBootstrap(), topic).stream().map(ToolCloudEvents::observationFrom)
        .filter(Objects::nonNull)
        .filter(o -> o.intentSource().equals(intent.source()) && o.intentId().equals(intent.id()))
        .collect(Collectors.toList());
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void awaitTrue(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + bound.toSeconds() + " s: " + what);
      }
      Thread.sleep(200);
    }
  }
}
