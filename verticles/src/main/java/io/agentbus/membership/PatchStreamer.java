package io.agentbus.membership;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends a possibly large sequence of shard patches to one node's {@code patches} address as numbered chunks, the last
 * flagged. The patches are taken from the state on the event loop, a batch at a time, as the state is then (always
 * safe to send: merging a newer state is a merge like any other); encoding them, the costly part, runs on a worker,
 * so a transfer of 100,000 agents never holds the event loop.
 */
final class PatchStreamer {

  /** Agents and counters taken from the state per turn of the event loop. */
  private static final int BATCH_ITEMS = 4 * PatchChunker.MAX_CHUNK_ITEMS;

  private final Vertx vertx;
  private final Supplier<MembershipWire.Sender> sender;

  PatchStreamer(Vertx vertx, Supplier<MembershipWire.Sender> sender) {
    this.vertx = vertx;
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
      List<ShardPatch> batch = new ArrayList<>();
      int items = 0;
      while (patches.hasNext() && items < BATCH_ITEMS) {
        ShardPatch p = patches.next();
        if (!p.isEmpty()) {
          batch.add(p);
          items += Math.max(1, p.items());
        }
      }
      boolean end = !patches.hasNext();
      vertx.executeBlocking(() -> encode(batch, end)).onSuccess(chunks -> {
        for (int i = 0; i < chunks.size(); i++) {
          boolean last = end && i == chunks.size() - 1;
          if (!chunks.get(i).isEmpty() || (last && (announced || chunk > 0))) {
            send(chunks.get(i), last);
          }
        }
        if (!end) {
          step();
        }
      });
    }

    // on a worker, one batch after the other (executeBlocking is ordered per context)
    private List<List<byte[]>> encode(List<ShardPatch> batch, boolean end) {
      List<List<byte[]>> chunks = new ArrayList<>();
      batch.forEach(p -> chunks.addAll(chunker.add(p)));
      if (end) {
        chunks.add(chunker.drain());
      }
      return chunks;
    }

    private void send(List<byte[]> encodedPatches, boolean last) {
      vertx.eventBus().send(address, MembershipWire.patches(sender.get(), round, chunk++, last, encodedPatches));
    }
  }
}
