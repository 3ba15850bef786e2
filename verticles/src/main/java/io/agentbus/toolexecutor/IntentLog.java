package io.agentbus.toolexecutor;

import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.events.TaskLog;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * Appends the CloudEvents of durable tool execution to Kafka (acks=all, idempotent producer): intents, observations
 * and dead letters. Each future completes once Kafka has the event.
 */
final class IntentLog {

  private final KafkaProducer<String, CloudEvent> producer;
  private final String intentTopic;
  private final String observationTopic;
  private final String deadLetterTopic;
  private final String nodeId;

  private IntentLog(KafkaProducer<String, CloudEvent> producer, NodeConfig config, String nodeId) {
    this.producer = producer;
    this.intentTopic = config.get(Setting.KAFKA_TOPIC_INTENT);
    this.observationTopic = config.get(Setting.KAFKA_TOPIC_OBSERVATION);
    this.deadLetterTopic = config.get(Setting.KAFKA_TOPIC_DEAD_LETTER);
    this.nodeId = nodeId;
  }

  /** Creates the producer off the event loop and fetches the topics' metadata. */
  static Future<IntentLog> create(Vertx vertx, NodeConfig config, String bootstrap, String nodeId) {
    return vertx.executeBlocking(() -> KafkaProducer.<String, CloudEvent>create(vertx,
            TaskLog.producerConfig(config, bootstrap, "agentbus-tools-" + nodeId)))
        .compose(producer -> {
          IntentLog log = new IntentLog(producer, config, nodeId);
          return Future.all(producer.partitionsFor(log.intentTopic), producer.partitionsFor(log.observationTopic),
              producer.partitionsFor(log.deadLetterTopic)).map(log);
        });
  }

  Future<Void> intent(ToolIntent intent) {
    return send(intentTopic, ToolCloudEvents.partitionKey(intent), ToolCloudEvents.intent(intent));
  }

  Future<Void> observation(ToolIntent intent, ToolOutcome outcome) {
    return send(observationTopic, ToolCloudEvents.partitionKey(intent),
        ToolCloudEvents.observation(intent, outcome, nodeId));
  }

  Future<Void> deadLetter(String topic, int partition, long offset, String key, byte[] value, String reason,
                          String detail) {
    return send(deadLetterTopic, key, ToolCloudEvents.deadLetter(topic, partition, offset, value, reason, detail));
  }

  String intentTopic() {
    return intentTopic;
  }

  String observationTopic() {
    return observationTopic;
  }

  Future<Void> close() {
    return producer.close();
  }

  private Future<Void> send(String topic, String key, CloudEvent event) {
    return producer.send(KafkaProducerRecord.create(topic, key, event)).mapEmpty();
  }
}
