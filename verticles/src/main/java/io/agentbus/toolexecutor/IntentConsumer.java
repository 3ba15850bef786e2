package io.agentbus.toolexecutor;

import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskError;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.events.InvalidIntentException;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool-executor's member of the intent topic's consumer group. Every record becomes exactly one durable answer
 * before its offset may be committed: an observation (the outcome the ledger holds for the intent), or, for a record
 * that is not a runnable intent, a dead letter with the reason (plus an error observation when the intent names an
 * unknown tool, so its caller is not left waiting; an intent that reuses another call's key with other arguments is
 * answered to its caller over the event bus only). Records run concurrently, up to {@code tools.max-in-flight};
 * offsets are committed in order ({@link OffsetTracker}) every {@code tools.commit-interval-ms}. A record whose
 * answer cannot be made durable (Kafka or the ledger unreachable) is retried until it can, or until its partition
 * moves to another executor.
 */
final class IntentConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(IntentConsumer.class);
  private static final long RETRY_MS = 1000;

  private final Vertx vertx;
  private final IntentLog log;
  private final IntentExecutor executor;
  private final ToolRegistry registry;
  private final ToolMetrics metrics;
  private final int maxInFlight;
  private final boolean holdBeforeCommit;
  private final OffsetTracker<TopicPartition> offsets = new OffsetTracker<>();
  private final Set<TopicPartition> owned = new HashSet<>();
  private KafkaConsumer<String, byte[]> consumer;
  private boolean paused;
  // a call on the consumer after close() would restart it on a second thread (vertx-kafka-client), so none is made
  private boolean closing;
  private long commitTimer = -1;
  private long lagTimer = -1;

  IntentConsumer(Vertx vertx, IntentLog log, IntentExecutor executor, ToolRegistry registry, ToolMetrics metrics,
                 int maxInFlight, boolean holdBeforeCommit) {
    this.vertx = vertx;
    this.log = log;
    this.executor = executor;
    this.registry = registry;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
    this.holdBeforeCommit = holdBeforeCommit;
  }

  /** Creates the consumer off the event loop and subscribes; call on the executor's context. */
  Future<Void> start(NodeConfig config, String bootstrap, String nodeId) {
    Map<String, String> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.get(Setting.TOOLS_CONSUMER_GROUP));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentbus-intents-" + nodeId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.get(Setting.TOOLS_SESSION_TIMEOUT_MS));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        String.valueOf(Math.max(100, config.getLong(Setting.TOOLS_SESSION_TIMEOUT_MS) / 3)));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    // raw bytes: a record that is not a CloudEvent must reach us to be dead-lettered, not fail the poll
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long commitMs = config.getLong(Setting.TOOLS_COMMIT_INTERVAL_MS);
    long lagMs = config.getLong(Setting.TOOLS_LAG_INTERVAL_MS);
    return vertx.executeBlocking(() -> KafkaConsumer.<String, byte[]>create(vertx, props))
        .compose(created -> {
          consumer = created;
          consumer.partitionsAssignedHandler(owned::addAll);
          consumer.partitionsRevokedHandler(this::revoked);
          consumer.exceptionHandler(err -> {
            if (!(err instanceof WakeupException)) {
              LOG.warn("intent consumer: {}", err.toString());
            }
          });
          consumer.handler(this::received);
          commitTimer = vertx.setPeriodic(commitMs, id -> commit());
          lagTimer = vertx.setPeriodic(lagMs, id -> measureLag());
          return consumer.subscribe(log.intentTopic());
        });
  }

  Future<Void> stop() {
    vertx.cancelTimer(commitTimer);
    vertx.cancelTimer(lagTimer);
    if (consumer == null) {
      return Future.succeededFuture();
    }
    return commit().transform(ar -> {
      closing = true;
      return consumer.close();
    });
  }

  private void received(KafkaConsumerRecord<String, byte[]> record) {
    if (closing) {
      return;
    }
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    offsets.started(partition, record.offset());
    if (!paused && offsets.inFlight() >= maxInFlight) {
      paused = true;
      consumer.pause();
    }
    process(record, partition);
  }

  private void process(KafkaConsumerRecord<String, byte[]> record, TopicPartition partition) {
    answer(record).onComplete(done -> {
      if (done.failed()) {
        if (owned.contains(partition) && !closing) {
          LOG.warn("intent at {}-{}@{} not answered yet ({}); retrying in {} ms", record.topic(), record.partition(),
              record.offset(), done.cause().toString(), RETRY_MS);
          vertx.setTimer(RETRY_MS, id -> process(record, partition));
        }
        return;
      }
      if (holdBeforeCommit) {
        LOG.warn("test hook tools.test.hold-at=before-commit: holding the offset {} of {}", record.offset(), partition);
        return;
      }
      offsets.done(partition, record.offset());
      if (paused && !closing && offsets.inFlight() < maxInFlight / 2 + 1) {
        paused = false;
        consumer.resume();
      }
    });
  }

  // completes once the record's answer is durable in Kafka
  private Future<Void> answer(KafkaConsumerRecord<String, byte[]> record) {
    ToolIntent intent;
    try {
      CloudEvent event = KafkaMessageFactory.createReader(record.record()).toEvent();
      intent = ToolCloudEvents.intentFrom(event);
    } catch (InvalidIntentException e) {
      return deadLetter(record, e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      return deadLetter(record, unreadableReason(e), "not a valid CloudEvent: " + e.getMessage());
    }
    if (!ToolCloudEvents.validSource(intent.source())) {
      return deadLetter(record, "missing-source", "the intent's source is not a URI reference");
    }
    if (registry.find(intent.tool()) == null) {
      ToolOutcome unknown = ToolOutcome.failure(intent.id(), intent.tool(), TaskError.of(ErrorCode.UNKNOWN_TOOL,
          "no tool named '" + intent.tool() + "' on the executor that consumed the intent"), 0);
      return deadLetter(record, "unknown-tool", "no tool named '" + intent.tool() + "'")
          .compose(v -> observe(intent, unknown));
    }
    return executor.execute(intent).compose(outcome -> conflicting(outcome)
        ? deadLetter(record, "call-conflict", outcome.error().message()).onSuccess(v -> reply(intent, outcome))
        : observe(intent, outcome));
  }

  // an intent reusing another call's key is answered to its caller only: the key's observation is the other call's
  private static boolean conflicting(ToolOutcome outcome) {
    return outcome.error() != null && ErrorCode.TOOL_CALL_CONFLICT.slug().equals(outcome.error().code());
  }

  // the SDK refuses an event without id or source while reading it; its message says which
  private static String unreadableReason(RuntimeException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("mandatory id") || message.contains("'id'")) {
      return "missing-id";
    }
    if (message.contains("mandatory source") || message.contains("'source'")) {
      return "missing-source";
    }
    return "not-a-cloudevent";
  }

  private Future<Void> observe(ToolIntent intent, ToolOutcome outcome) {
    return log.observation(intent, outcome).onSuccess(v -> reply(intent, outcome));
  }

  private void reply(ToolIntent intent, ToolOutcome outcome) {
    if (intent.replyTo() != null) {
      vertx.eventBus().send(Addresses.toolObservations(intent.replyTo()),
          new ToolObservation(intent.source(), intent.id(), intent.taskId(), outcome, null));
    }
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> record, String reason, String detail) {
    LOG.warn("dead-lettering the record at {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
        reason, detail);
    return log.deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason,
        detail).onSuccess(v -> metrics.deadLetter(reason));
  }

  private Future<Void> commit() {
    Map<TopicPartition, Long> ready = offsets.committable();
    ready.keySet().retainAll(owned);
    if (ready.isEmpty() || closing) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
    ready.forEach((tp, offset) -> request.put(tp, new OffsetAndMetadata(offset, "")));
    return consumer.commit(request)
        .onSuccess(v -> ready.forEach(offsets::committed))
        .onFailure(err -> LOG.debug("committing intent offsets failed: {}", err.toString()))
        .mapEmpty();
  }

  private void revoked(Set<TopicPartition> partitions) {
    if (!closing) {
      commit();
    }
    owned.removeAll(partitions);
    offsets.forget(partitions);
  }

  private void measureLag() {
    Set<TopicPartition> mine = new HashSet<>(owned);
    if (closing) {
      return;
    }
    if (mine.isEmpty()) {
      metrics.lag(0);
      return;
    }
    consumer.endOffsets(mine).onSuccess(ends -> {
      if (closing) {
        return;
      }
      List<Future<Long>> lags = mine.stream().map(tp -> consumer.committed(tp)
          .map(c -> Math.max(0, ends.getOrDefault(tp, 0L) - (c == null ? 0 : c.getOffset())))).toList();
      Future.all(lags).onSuccess(all -> metrics.lag(lags.stream().mapToLong(Future::result).sum()));
    });
  }
}
