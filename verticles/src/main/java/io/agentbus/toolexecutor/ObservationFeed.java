package io.agentbus.toolexecutor;

import io.agentbus.api.Addresses;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings observations to the callers waiting on this node, by two roads: the event bus (the executor sends each
 * observation to its caller's node as soon as Kafka has it) and the observation topic, read from its end on every
 * partition without a consumer group (the road that still works when an event-bus message is lost, or when the
 * executor that ran the call died after recording its outcome).
 */
final class ObservationFeed {

  private static final Logger LOG = LoggerFactory.getLogger(ObservationFeed.class);

  private final Vertx vertx;
  private final PendingCalls pending;
  private KafkaConsumer<String, byte[]> consumer;
  private MessageConsumer<ToolObservation> bus;

  ObservationFeed(Vertx vertx, PendingCalls pending) {
    this.vertx = vertx;
    this.pending = pending;
  }

  /** Ready once both roads are open and the topic's end positions are known. */
  Future<Void> start(String bootstrap, String topic, String nodeId) {
    bus = vertx.eventBus().consumer(Addresses.toolObservations(nodeId),
        msg -> deliver(msg.body()));
    Map<String, String> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentbus-observations-" + nodeId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return vertx.executeBlocking(() -> KafkaConsumer.<String, byte[]>create(vertx, props))
        .compose(created -> {
          consumer = created;
          consumer.exceptionHandler(err -> {
            if (!(err instanceof WakeupException)) {
              LOG.warn("observation consumer: {}", err.toString());
            }
          });
          consumer.handler(this::received);
          return consumer.partitionsFor(topic);
        })
        .compose(infos -> {
          Set<TopicPartition> all = infos.stream().map(i -> new TopicPartition(topic, i.getPartition()))
              .collect(Collectors.toSet());
          return consumer.assign(all).compose(v -> consumer.seekToEnd(all))
              .compose(v -> Future.all(all.stream().map(consumer::position).toList()));
        })
        .compose(v -> bus.completion());
  }

  Future<Void> stop() {
    Future<Void> closed = consumer == null ? Future.succeededFuture() : consumer.close();
    return bus == null ? closed : Future.all(closed, bus.unregister()).mapEmpty();
  }

  private void received(KafkaConsumerRecord<String, byte[]> record) {
    ToolObservation observation;
    try {
      CloudEvent event = KafkaMessageFactory.createReader(record.record()).toEvent();
      observation = ToolCloudEvents.observationFrom(event);
    } catch (RuntimeException e) {
      LOG.debug("skipping a record of the observation topic that is no observation: {}", e.toString());
      return;
    }
    if (observation != null) {
      deliver(observation);
    }
  }

  private void deliver(ToolObservation observation) {
    if (observation == null || observation.intentSource() == null || observation.intentId() == null) {
      return;
    }
    pending.complete(ToolIntent.keyOf(observation.intentSource(), observation.intentId()), observation.outcome());
  }
}
