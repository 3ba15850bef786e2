package io.agentbus.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;

/**
 * Reads the CloudEvents of one topic with a plain Kafka consumer: every partition assigned, no consumer group,
 * nothing committed, so tailing never disturbs anyone. Structured and binary mode both read, through the CloudEvents
 * SDK's deserializer; a record that is not a CloudEvent is skipped and reported.
 */
final class TaskTopicTail implements AutoCloseable {

  // the consumer logs an ERROR for each record it cannot deserialize; this class reports them itself, once, briefly
  private static final String DESERIALIZATION_LOGGER = "org.apache.kafka.clients.consumer.internals.CompletedFetch";

  private final KafkaConsumer<String, CloudEvent> consumer;

  private TaskTopicTail(KafkaConsumer<String, CloudEvent> consumer) {
    this.consumer = consumer;
  }

  /**
   * Opens the topic at its beginning or its current end.
   *
   * @throws IllegalArgumentException if the topic does not exist
   * @throws org.apache.kafka.common.errors.TimeoutException if Kafka does not answer within {@code metadataTimeout}
   */
  static TaskTopicTail open(String bootstrap, String topic, boolean fromBeginning, Duration metadataTimeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentbus-cli-events");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    ((Logger) LoggerFactory.getLogger(DESERIALIZATION_LOGGER)).setLevel(Level.OFF);
    KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(props);
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist at " + bootstrap);
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      // resolve the positions now, so "from the end" means from when the command started
      partitions.forEach(p -> consumer.position(p, metadataTimeout));
      return new TaskTopicTail(consumer);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** The records that arrive within {@code timeout}; unreadable ones are skipped and described to {@code skipped}. */
  List<ConsumerRecord<String, CloudEvent>> poll(Duration timeout, Consumer<String> skipped) {
    try {
      List<ConsumerRecord<String, CloudEvent>> records = new ArrayList<>();
      consumer.poll(timeout).forEach(records::add);
      return records;
    } catch (RecordDeserializationException e) {
      consumer.seek(e.topicPartition(), e.offset() + 1);
      skipped.accept("skipped " + e.topicPartition() + "@" + e.offset() + ", not a CloudEvent: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return List.of();
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
