package io.agentbus.launcher.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Request/reply over Kafka for a load run: a record is sent with an id, and its answer is whatever record with that id
 * a {@link Replies} decoder finds on the return topic, which a thread of its own reads from its end (every partition,
 * no consumer group). Sent records wait in a table by id; one unanswered for {@code timeout} is failed as a timeout.
 */
final class KafkaRoundTrips implements AutoCloseable {

  /** What a record on the return topic answers; null when it answers nothing of ours. */
  @FunctionalInterface
  interface Replies {
    Reply decode(ConsumerRecord<String, byte[]> record);
  }

  /** The id a return record answers, and its error kind (null: a success). */
  record Reply(String id, String errorKind) {
  }

  /** Called once per sent record, on the thread that settled it, with the error kind (null: success). */
  @FunctionalInterface
  interface Done {
    void settled(String errorKind, long endNanos);
  }

  private record Waiting(long sentNanos, Done done) {
  }

  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Replies replies;
  private final long timeoutNanos;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean closed;

  private KafkaRoundTrips(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer,
                          Replies replies, Duration timeout, String name) {
    this.producer = producer;
    this.consumer = consumer;
    this.replies = replies;
    this.timeoutNanos = timeout.toNanos();
    this.reader = new Thread(this::read, name);
    this.reader.setDaemon(true);
  }

  /**
   * Reads {@code returnTopic} from its current end (positions fixed before this returns, so nothing sent afterwards
   * is missed) and sends with {@code producer}, which it then owns.
   */
  static KafkaRoundTrips open(String bootstrap, KafkaProducer<String, byte[]> producer, String returnTopic,
                              Replies replies, Duration timeout) {
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap));
    List<TopicPartition> partitions = consumer.partitionsFor(returnTopic, Duration.ofSeconds(10)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("topic " + returnTopic + " has no partitions (does it exist?)");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    KafkaRoundTrips trips = new KafkaRoundTrips(producer, consumer, replies, timeout, "bench-replies-" + returnTopic);
    trips.reader.start();
    return trips;
  }

  static Properties consumerProperties(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    return props;
  }

  /** Sends {@code record}, whose answer will carry {@code id}; {@code done} is called exactly once. */
  void send(String id, ProducerRecord<String, byte[]> record, Done done) {
    long now = System.nanoTime();
    waiting.put(id, new Waiting(now, done));
    try {
      producer.send(record, (metadata, failure) -> {
        if (failure != null) {
          settle(id, failure instanceof TimeoutException ? "kafka timeout" : failure.getClass().getSimpleName());
        }
      });
    } catch (RuntimeException e) {
      settle(id, e.getClass().getSimpleName());
    }
  }

  private void settle(String id, String errorKind) {
    Waiting w = waiting.remove(id);
    if (w != null) {
      w.done.settled(errorKind, System.nanoTime());
    }
  }

  private void read() {
    long nextSweep = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (!closed) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          Reply reply = replies.decode(record);
          if (reply != null) {
            settle(reply.id(), reply.errorKind());
          }
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        break;
      }
      long now = System.nanoTime();
      if (now - nextSweep >= 0) {
        nextSweep = now + TimeUnit.SECONDS.toNanos(1);
        waiting.forEach((id, w) -> {
          if (now - w.sentNanos - timeoutNanos >= 0) {
            settle(id, "timeout");
          }
        });
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    reader.join(5_000);
    consumer.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
    waiting.keySet().forEach(id -> settle(id, "abandoned"));
  }
}
