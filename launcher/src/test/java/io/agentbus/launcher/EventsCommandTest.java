package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.events.TaskCloudEvents;
import io.agentbus.node.EmbeddedKafka;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events command against a real single-broker Kafka holding structured, binary and foreign records. */
class EventsCommandTest {

  private static final String TOPIC = "agentbus.tasks";
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafkaAndRecordEvents(@TempDir Path dir) throws Exception {
    kafka = EmbeddedKafka.start(EmbeddedKafka.freshDir(dir), 0, 0);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    send(Encoding.STRUCTURED, event("t1", 1, TaskEventType.SUBMITTED), event("t2", 1, TaskEventType.SUBMITTED));
    sendForeignRecord();
    send(Encoding.BINARY, event("t1", 2, TaskEventType.SUCCEEDED));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  private static CloudEvent event(String task, long seq, TaskEventType type) {
    return TaskCloudEvents.toCloudEvent(new TaskEvent(task, seq, type, Instant.parse("2026-01-01T00:00:0" + seq + "Z"),
        JsonNodeFactory.instance.objectNode().put("n", seq)), "n1", null);
  }

  private static void send(Encoding encoding, CloudEvent... events) throws Exception {
    Properties props = producerProps();
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
    props.put(CloudEventSerializer.ENCODING_CONFIG, encoding.name());
    props.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
    try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
      for (CloudEvent e : events) {
        producer.send(new ProducerRecord<>(TOPIC, e.getSubject(), e)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void sendForeignRecord() throws Exception {
    Properties props = producerProps();
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(TOPIC, "t1", "not a cloud event")).get(30, TimeUnit.SECONDS);
    }
  }

  private static Properties producerProps() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  @Test
  @DisplayName("--from-beginning --task prints that task's events from both modes in order, skipping a foreign record")
  void tailsOneTask() {
    CommandRun run = CommandRun.of("events", "--bootstrap", kafka.bootstrap(), "--from-beginning", "--task", "t1",
        "--max", "2", "--timeout", "20s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "2026-01-01T00:00:01Z  io.agentbus.task.submitted     t1  seq=1  id=t1:1  {\"n\":1}",
        "2026-01-01T00:00:02Z  io.agentbus.task.succeeded     t1  seq=2  id=t1:2  {\"n\":2}");
    assertThat(run.err()).contains("2 event(s)", "--max reached");
    assertThat(run.err().lines().filter(l -> l.contains("not a CloudEvent"))).as(run.err()).hasSize(1);
  }

  @Test
  @DisplayName("without --max it stops once nothing new came for --timeout; without --from-beginning it sees only new events")
  void stopsWhenIdle() {
    long start = System.nanoTime();
    CommandRun all = CommandRun.of("events", "--bootstrap", kafka.bootstrap(), "--from-beginning", "--timeout", "1s",
        "--json");
    CommandRun fromNow = CommandRun.of("events", "--bootstrap", kafka.bootstrap(), "--timeout", "500ms");

    assertThat(all.out().lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{").contains("\"specversion\""));
    assertThat(all.err()).contains("nothing new for 1000 ms");
    assertThat(fromNow.out()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("a topic that does not exist exits 2 and says so")
  void missingTopic() {
    CommandRun run = CommandRun.of("events", "--bootstrap", kafka.bootstrap(), "--topic", "nope", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(run.err()).contains("topic nope does not exist");
  }
}
