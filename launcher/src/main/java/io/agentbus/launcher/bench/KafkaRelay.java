package io.agentbus.launcher.bench;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The baseline's stand-in for the tool-executor: a plain Kafka consumer that copies every record of one topic to
 * another with a plain producer (same key, value and headers), on a thread of its own. No ledger, no tool, no
 * CloudEvent parsing, no offset commits: what Kafka alone costs for the two hops of a tool call.
 */
final class KafkaRelay implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final String to;
  private final Thread thread;
  private volatile boolean closed;

  KafkaRelay(String bootstrap, KafkaProducer<String, byte[]> producer, String from, String to) {
    this.consumer = new KafkaConsumer<>(KafkaRoundTrips.consumerProperties(bootstrap));
    this.producer = producer;
    this.to = to;
    List<TopicPartition> partitions = consumer.partitionsFor(from, Duration.ofSeconds(10)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    this.thread = new Thread(this::relay, "bench-relay-" + from);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void relay() {
    while (!closed) {
      try {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          producer.send(new ProducerRecord<>(to, null, r.key(), r.value(), r.headers()));
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        break;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(5_000);
    consumer.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
  }
}
