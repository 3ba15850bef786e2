package io.agentbus.toolexecutor;

import io.agentbus.api.Json;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.api.ToolOutcome;
import io.agentbus.events.ToolCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.Future;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Runs the durable path's JSON, CloudEvent and ledger code once on a worker thread before the executor takes calls:
 * the first use of each loads classes and links call sites for hundreds of milliseconds on a cold, busy JVM, which
 * would otherwise block an event loop on the first intent.
 */
final class ToolWarmup {

  private ToolWarmup() {
  }

  /** Blocking: call on a worker thread. */
  static void run(IdempotencyLedger ledger) throws Exception {
    ToolIntent intent = new ToolIntent("/agentbus/warmup", "warmup", "warmup", "warmup", Json.object(), 1L, 1, null,
        "warmup");
    ToolOutcome outcome = ToolOutcome.success("warmup", "warmup", Json.object(), 0);
    for (CloudEvent event : new CloudEvent[] {ToolCloudEvents.intent(intent),
        ToolCloudEvents.observation(intent, outcome, "warmup"),
        ToolCloudEvents.deadLetter("t", 0, 0, new byte[] {1}, "warmup", "warmup")}) {
      for (Encoding encoding : new Encoding[] {Encoding.STRUCTURED, Encoding.BINARY}) {
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
          serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
              CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
          RecordHeaders headers = new RecordHeaders();
          byte[] bytes = serializer.serialize("warmup", headers, event);
          CloudEvent read = KafkaMessageFactory.createReader(headers, bytes).toEvent();
          if (ToolCloudEvents.INTENT_TYPE.equals(read.getType())) {
            ToolCloudEvents.intentFrom(read);
          } else {
            ToolCloudEvents.observationFrom(read);
          }
        }
      }
    }
    Json.fromBytes(Json.toBytes(new ToolObservation("s", "i", "t", outcome, "n")), ToolObservation.class);
    LedgerEntry entry = LedgerEntry.started("f", "m", "i", "n", 1, 0, 0).finish(outcome, 0);
    LedgerEntry.fromJson(entry.toJson());
    IntentExecutor.fingerprint(intent);
    Future<LedgerEntry> read = ledger.get("warmup");
    try {
      read.toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException refused) {
      // e.g. split-brain protection while a node of a quorum cluster waits for a majority: the classes are loaded
    }
  }
}
