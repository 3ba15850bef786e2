package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes local changes at once to every node on {@link Addresses#MEMBERSHIP_DELTA}, in messages of bounded size.
 * With the test hook {@code membership.drop-outgoing-deltas} it publishes nothing and counts each message as dropped,
 * so only anti-entropy can spread this node's changes.
 */
final class DeltaPublisher {

  private final Vertx vertx;
  private final Supplier<MembershipWire.Sender> sender;
  private final boolean dropAll;
  private final MembershipMetrics metrics;

  DeltaPublisher(Vertx vertx, Supplier<MembershipWire.Sender> sender, boolean dropAll, MembershipMetrics metrics) {
    this.vertx = vertx;
    this.sender = sender;
    this.dropAll = dropAll;
    this.metrics = metrics;
  }

  void publish(List<ShardPatch> deltas) {
    if (deltas.isEmpty()) {
      return;
    }
    PatchChunker chunker = new PatchChunker();
    for (ShardPatch delta : deltas) {
      chunker.add(delta).forEach(this::publishOne);
    }
    List<byte[]> rest = chunker.drain();
    if (!rest.isEmpty()) {
      publishOne(rest);
    }
  }

  private void publishOne(List<byte[]> encodedPatches) {
    if (dropAll) {
      metrics.deltaDropped();
      return;
    }
    Buffer message = MembershipWire.delta(sender.get(), encodedPatches);
    vertx.eventBus().publish(Addresses.MEMBERSHIP_DELTA, message);
    metrics.deltaSent(message.length());
  }
}
