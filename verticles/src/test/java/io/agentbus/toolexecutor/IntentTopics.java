package io.agentbus.toolexecutor;

import io.agentbus.api.ToolIntent;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: write raw records or CloudEvents to a topic, read a topic back as CloudEvents. */
final class IntentTopics implements AutoCloseable {

  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  IntentTopics(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  /** Writes an intent as a structured CloudEvent, {@code copies} times, and waits until Kafka has them all. */
  void sendIntent(String topic, ToolIntent intent, int copies) throws Exception {
    CloudEvent event = ToolCloudEvents.intent(intent);
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      ProducerRecord<String, byte[]> record = KafkaMessageFactory.<String>createWriter(topic,
          ToolCloudEvents.partitionKey(intent)).writeStructured(event, JsonFormat.CONTENT_TYPE);
      sent.add(producer.send(record));
    }
    for (java.util.concurrent.Future<?> f : sent) {
      f.get();
    }
  }

  /** Writes a CloudEvent in binary mode (attributes as ce_ headers). */
  void sendBinary(String topic, String key, CloudEvent event) throws Exception {
    producer.send(KafkaMessageFactory.<String>createWriter(topic, key).writeBinary(event)).get();
  }

  /** Writes raw bytes with the given headers. */
  void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) throws Exception {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    headers.forEach((k, v) -> record.headers().add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    producer.send(record).get();
  }

  /** Every CloudEvent in the topic up to its current end. */
  List<CloudEvent> readAll(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      List<CloudEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end within 30 s");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(KafkaMessageFactory.createReader(r).toEvent());
        }
      }
      return out;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
