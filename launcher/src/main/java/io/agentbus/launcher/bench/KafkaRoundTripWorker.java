package io.agentbus.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Keeps {@code slots} Kafka round trips in flight from one event loop (a closed loop): each slot sends its next record
 * as soon as the answer to its last one came back.
 */
final class KafkaRoundTripWorker extends VerticleBase {

  private final KafkaRoundTrips trips;
  private final Function<String, ProducerRecord<String, byte[]>> recordFor;
  private final Tally tally;
  private final int slots;

  KafkaRoundTripWorker(KafkaRoundTrips trips, Function<String, ProducerRecord<String, byte[]>> recordFor, Tally tally,
                       int slots) {
    this.trips = trips;
    this.recordFor = recordFor;
    this.tally = tally;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    for (int i = 0; i < slots; i++) {
      next();
    }
    return Future.succeededFuture();
  }

  private void next() {
    long start = System.nanoTime();
    if (!tally.tryIssue(start)) {
      tally.slotIdle();
      return;
    }
    String id = UUID.randomUUID().toString();
    trips.send(id, recordFor.apply(id), (errorKind, end) -> context.runOnContext(v -> {
      tally.completed(start, end, errorKind);
      next();
    }));
  }
}
