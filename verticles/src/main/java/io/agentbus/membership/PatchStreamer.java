package io.agentbus.membership;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends a possibly large sequence of shard patches to one node's {@code patches} address as numbered chunks, one
 * chunk per event-loop turn so that other work interleaves, the last flagged. Patches are produced lazily from the
 * state as it is when their turn comes, which is always safe to send (merging a newer state is a merge like any other).
 */
final class PatchStreamer {

  private final Vertx vertx;
  private final Context context;
  private final Supplier<MembershipWire.Sender> sender;

  PatchStreamer(Vertx vertx, Context context, Supplier<MembershipWire.Sender> sender) {
    this.vertx = vertx;
    this.context = context;
    this.sender = sender;
  }

  /**
   * Streams the patches. With {@code announced} (the receiver waits for this round) at least one, final, chunk is
   * sent even when there is nothing to send; otherwise an empty stream sends nothing.
   */
  void stream(String address, long round, Iterator<ShardPatch> patches, boolean announced) {
    new Run(address, round, patches, announced).step();
  }

  private final class Run {
    private final String address;
    private final long round;
    private final Iterator<ShardPatch> patches;
    private final boolean announced;
    private final PatchChunker chunker = new PatchChunker();
    private int chunk;

    Run(String address, long round, Iterator<ShardPatch> patches, boolean announced) {
      this.address = address;
      this.round = round;
      this.patches = patches;
      this.announced = announced;
    }

    void step() {
      while (patches.hasNext()) {
        List<List<byte[]>> full = chunker.add(patches.next());
        if (!full.isEmpty()) {
          full.forEach(c -> send(c, false));
          context.runOnContext(v -> step());
          return;
        }
      }
      List<byte[]> rest = chunker.drain();
      if (!rest.isEmpty() || announced) {
        send(rest, true);
      }
    }

    private void send(List<byte[]> encodedPatches, boolean last) {
      vertx.eventBus().send(address, MembershipWire.patches(sender.get(), round, chunk++, last, encodedPatches));
    }
  }
}
