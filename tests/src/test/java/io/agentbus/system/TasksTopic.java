package io.agentbus.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the whole tasks topic back with a plain Kafka consumer and the CloudEvents SDK, and what it says of tasks. */
final class TasksTopic {

  static final String TOPIC = "agentbus.tasks";
  static final String SUCCEEDED = "io.agentbus.task.succeeded";
  static final String REQUEUED = "io.agentbus.task.requeued";
  static final String ASSIGNED = "io.agentbus.task.assigned";
  private static final String TERMINAL = ".*\\.(succeeded|failed|cancelled|timed_out|compensated)$";

  private TasksTopic() {
  }

  /** Every CloudEvent in the topic, up to the end offsets at the time of the call. */
  static List<CloudEvent> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      List<CloudEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the tasks topic to its end within 30 s");
        }
        for (ConsumerRecord<String, CloudEvent> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
      return out;
    }
  }

  /** The tasks topic by task, each task's events in the order Kafka holds them (a task's events share a partition). */
  static Map<String, List<CloudEvent>> byTask(String bootstrap) {
    return readAll(bootstrap, TOPIC).stream()
        .collect(Collectors.groupingBy(CloudEvent::getSubject, LinkedHashMap::new, Collectors.toList()));
  }

  /** The types of a task's terminal events (exactly one for every task that ended). */
  static List<String> terminals(List<CloudEvent> events) {
    return events == null ? List.of()
        : events.stream().map(CloudEvent::getType).filter(t -> t.matches(TERMINAL)).toList();
  }

  /** The position of the event by which a node took the task over from {@code lostNode}, or -1. */
  static int adoptionIndex(List<CloudEvent> events, String lostNode) {
    for (int i = 0; events != null && i < events.size(); i++) {
      CloudEvent e = events.get(i);
      if (e.getType().equals(REQUEUED) && lostNode.equals(data(e).path("adopted_from").asText(null))) {
        return i;
      }
    }
    return -1;
  }

  /** Short types with the node that wrote each event, for assertion messages. */
  static List<String> describe(List<CloudEvent> events) {
    return events.stream().map(e -> e.getType().substring("io.agentbus.task.".length()) + "@" + node(e)).toList();
  }

  /** The node that wrote the event (the CloudEvent extension agentbusnode). */
  static String node(CloudEvent e) {
    Object n = e.getExtension("agentbusnode");
    return n == null ? null : n.toString();
  }

  static JsonNode data(CloudEvent e) {
    try {
      return e.getData() == null ? Api.JSON.createObjectNode() : Api.JSON.readTree(e.getData().toBytes());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
