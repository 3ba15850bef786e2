package io.agentbus.events;

import io.agentbus.api.TaskEvent;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The durable record of tasks: appends task events as CloudEvents to the tasks topic, keyed by task id, with an
 * idempotent producer and acks=all. The returned future completes only once Kafka has acknowledged the event, so a
 * caller may tell a client the task is accepted.
 */
public final class TaskLog {

  private final KafkaProducer<String, CloudEvent> producer;
  private final String topic;
  private final String nodeId;
  private final Timer sendTimer;
  private final Timer sendFailures;

  private TaskLog(KafkaProducer<String, CloudEvent> producer, String topic, String nodeId, MeterRegistry registry) {
    this.producer = producer;
    this.topic = topic;
    this.nodeId = nodeId;
    this.sendTimer = Timer.builder("agentbus.kafka.send.duration")
        .description("Time from handing a task event to the producer until Kafka acknowledged it")
        .tag("topic", topic).tag("outcome", "ok").publishPercentileHistogram().register(registry);
    this.sendFailures = Timer.builder("agentbus.kafka.send.duration")
        .description("Time from handing a task event to the producer until Kafka acknowledged it")
        .tag("topic", topic).tag("outcome", "error").publishPercentileHistogram().register(registry);
  }

  /**
   * Creates the producer off the event loop (constructing a Kafka producer loads classes and reads config for
   * hundreds of milliseconds) and fetches the topic's metadata, so the first task does not pay for it.
   */
  public static Future<TaskLog> create(Vertx vertx, NodeConfig config, String bootstrap, String nodeId,
                                       MeterRegistry registry) {
    Map<String, String> props = producerConfig(config, bootstrap, "agentbus-tasks-" + nodeId);
    String topic = config.get(Setting.KAFKA_TOPIC_TASKS);
    return vertx.executeBlocking(() -> KafkaProducer.<String, CloudEvent>create(vertx, props))
        .compose(producer -> producer.partitionsFor(topic).map(p -> new TaskLog(producer, topic, nodeId, registry)));
  }

  /** Producer settings for durable CloudEvents: acks=all, idempotent, ordered per key. */
  public static Map<String, String> producerConfig(NodeConfig config, String bootstrap, String clientId) {
    Map<String, String> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    props.put(ProducerConfig.LINGER_MS_CONFIG, config.get(Setting.KAFKA_LINGER_MS));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
    boolean binary = "binary".equals(config.get(Setting.KAFKA_CLOUDEVENTS_MODE));
    props.put(CloudEventSerializer.ENCODING_CONFIG, (binary ? Encoding.BINARY : Encoding.STRUCTURED).name());
    props.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
    return props;
  }

  /** Appends one event; completes when Kafka acknowledged it (acks=all), fails if it could not be made durable. */
  public Future<RecordMetadata> append(TaskEvent event, String traceparent) {
    CloudEvent ce = TaskCloudEvents.toCloudEvent(event, nodeId, traceparent);
    long start = System.nanoTime();
    return producer.send(KafkaProducerRecord.create(topic, event.taskId(), ce))
        .onComplete(ar -> (ar.succeeded() ? sendTimer : sendFailures)
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  public String topic() {
    return topic;
  }

  public Future<Void> close() {
    return producer.close();
  }
}
