package io.agentbus.toolexecutor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets of each consumed partition may be committed: records are processed concurrently and finish in any
 * order, but an offset is committable only once every record before it is done, so a crash re-delivers every record
 * whose outcome was not yet durable (and perhaps some that were: the ledger answers those). Not thread-safe.
 *
 * @param <P> the partition type
 */
final class OffsetTracker<P> {

  private static final class Partition {
    final TreeSet<Long> pending = new TreeSet<>();
    long next = -1;
    long committed = -1;
  }

  private final Map<P, Partition> partitions = new HashMap<>();

  /** A record at {@code offset} was received and is being processed. */
  void started(P partition, long offset) {
    Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
    p.pending.add(offset);
    p.next = Math.max(p.next, offset + 1);
  }

  /** The record at {@code offset} is done (its outcome is durable); ignored for a partition no longer tracked. */
  void done(P partition, long offset) {
    Partition p = partitions.get(partition);
    if (p != null) {
      p.pending.remove(offset);
    }
  }

  /** The offsets to commit now (the next offset to read, per partition) that were not handed out before. */
  Map<P, Long> committable() {
    Map<P, Long> out = new HashMap<>();
    partitions.forEach((partition, p) -> {
      long upTo = p.pending.isEmpty() ? p.next : p.pending.first();
      if (upTo > p.committed && upTo >= 0) {
        out.put(partition, upTo);
      }
    });
    return out;
  }

  /** Kafka accepted {@code offset} as the committed position of {@code partition}. */
  void committed(P partition, long offset) {
    Partition p = partitions.get(partition);
    if (p != null) {
      p.committed = Math.max(p.committed, offset);
    }
  }

  /** Stops tracking partitions this consumer no longer owns. */
  void forget(Collection<P> revoked) {
    revoked.forEach(partitions::remove);
  }

  /** Records received and not yet done, over all partitions. */
  int inFlight() {
    return partitions.values().stream().mapToInt(p -> p.pending.size()).sum();
  }
}
