package io.agentbus.membership.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A grow-only counter: each replica counts its own increments, the value is the sum, and merge takes the maximum per
 * replica. Immutable; "modifying" methods return an {@link Update} with the new state and the delta to ship.
 *
 * <p><b>Retired replicas.</b> {@link #prune(ReplicaId)} marks a replica that has left the cluster as retired. Its
 * count stays in {@link #value()} (it counts work that really happened) and keeps merging as a per-replica maximum,
 * but no state that knows of the retirement accepts increments by it. The invariant, for any set of states merged in
 * any order and any number of times, with or without the retirement: the value is the sum over replicas of the
 * highest count of that replica among them. So pruning never changes the value, a late entry of the retired replica
 * (an in-flight delta, a survivor that has not pruned yet, a zombie node that has not heard it was removed) raises it
 * at most to the true total, and nothing is counted twice.
 *
 * <p>Why the count is not folded into a survivor's entry as Akka's {@code prune(removed, collapseInto)} does: Akka
 * lets one node prune and confirms that every replica has seen it before the entry goes. Here every survivor prunes
 * on its own, and then any fold into a survivor's entry is unsound: two survivors folding into their own entries count
 * the removed replica twice; a fold into another survivor's entry races with that survivor's own increments and the
 * per-replica maximum drops one of them; a survivor that saw an older count folds too little and the newer count,
 * now ignored, is lost. Keeping the removed replica's own maximum avoids all three, at the cost of one entry per
 * retired replica that ever incremented this counter.
 */
public final class GCounter implements Crdt<GCounter> {

  private static final GCounter EMPTY = new GCounter(Collections.emptySortedMap(), Collections.emptySortedSet());

  /** Only positive counts; a replica that never incremented has no entry. */
  private final SortedMap<ReplicaId, Long> counts;
  private final SortedSet<ReplicaId> retired;

  private GCounter(SortedMap<ReplicaId, Long> counts, SortedSet<ReplicaId> retired) {
    this.counts = counts;
    this.retired = retired;
  }

  public static GCounter empty() {
    return EMPTY;
  }

  /**
   * A counter with the given state, e.g. decoded from the wire.
   *
   * @throws IllegalArgumentException if a count is not positive
   */
  static GCounter of(Map<ReplicaId, Long> counts, Set<ReplicaId> retired) {
    counts.forEach((replica, count) -> {
      if (count <= 0) {
        throw new IllegalArgumentException("a stored count must be positive, " + replica + " has " + count);
      }
    });
    return create(new TreeMap<>(counts), new TreeSet<>(retired));
  }

  private static GCounter create(TreeMap<ReplicaId, Long> counts, TreeSet<ReplicaId> retired) {
    if (counts.isEmpty() && retired.isEmpty()) {
      return EMPTY;
    }
    return new GCounter(Collections.unmodifiableSortedMap(counts), Collections.unmodifiableSortedSet(retired));
  }

  /**
   * Counts {@code n} more for {@code replica}. The delta holds the replica's new total, so deltas may be reordered or
   * repeated.
   *
   * @throws IllegalArgumentException if {@code n} is negative, the replica is retired, or its count would overflow
   */
  public Update<GCounter> increment(ReplicaId replica, long n) {
    if (replica == null) {
      throw new IllegalArgumentException("increment needs a replica");
    }
    if (n < 0) {
      throw new IllegalArgumentException("a grow-only counter cannot decrement, n was " + n);
    }
    if (retired.contains(replica)) {
      throw new IllegalArgumentException("replica " + replica + " is retired and may not count any more");
    }
    if (n == 0) {
      return new Update<>(this, EMPTY);
    }
    long current = countOf(replica);
    if (current > Long.MAX_VALUE - n) {
      throw new IllegalArgumentException("the count of " + replica + " would overflow");
    }
    TreeMap<ReplicaId, Long> newCounts = new TreeMap<>(counts);
    newCounts.put(replica, current + n);
    GCounter delta = create(new TreeMap<>(Map.of(replica, current + n)), new TreeSet<>());
    return new Update<>(create(newCounts, new TreeSet<>(retired)), delta);
  }

  /** The sum of all replicas' counts; saturates at {@link Long#MAX_VALUE} instead of overflowing. */
  public long value() {
    long sum = 0;
    for (long count : counts.values()) {
      sum = sum > Long.MAX_VALUE - count ? Long.MAX_VALUE : sum + count;
    }
    return sum;
  }

  /** What {@code replica} has counted as far as this state knows, 0 if nothing. */
  public long countOf(ReplicaId replica) {
    return counts.getOrDefault(replica, 0L);
  }

  /** Every replica with a positive count, retired or not. */
  public SortedMap<ReplicaId, Long> counts() {
    return counts;
  }

  public SortedSet<ReplicaId> retiredReplicas() {
    return retired;
  }

  public boolean isRetired(ReplicaId replica) {
    return retired.contains(replica);
  }

  public boolean isEmpty() {
    return counts.isEmpty() && retired.isEmpty();
  }

  /** Per replica the higher count; a replica retired on either side is retired in the result. */
  @Override
  public GCounter merge(GCounter other) {
    if (other.isEmpty() || this.equals(other)) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    TreeMap<ReplicaId, Long> merged = new TreeMap<>(counts);
    other.counts.forEach((replica, count) -> merged.merge(replica, count, Math::max));
    TreeSet<ReplicaId> allRetired = new TreeSet<>(retired);
    allRetired.addAll(other.retired);
    return create(merged, allRetired);
  }

  /**
   * Retires {@code removed}, a replica that has left the cluster for good (see the class comment). Every survivor may
   * do this on its own, in any order relative to merges; doing it again changes nothing.
   *
   * @return the new state and a delta carrying the retirement and the count this state knew for the replica
   */
  public Update<GCounter> prune(ReplicaId removed) {
    if (removed == null) {
      throw new IllegalArgumentException("prune needs a replica");
    }
    TreeMap<ReplicaId, Long> removedCount = new TreeMap<>();
    if (counts.containsKey(removed)) {
      removedCount.put(removed, counts.get(removed));
    }
    GCounter delta = create(removedCount, new TreeSet<>(Set.of(removed)));
    return new Update<>(merge(delta), delta);
  }

  /**
   * Anti-entropy: what {@code remote} lacks from this state, as a delta for it to merge. A counter is its own digest
   * (one number per replica; nothing smaller tells what the remote lacks), so the remote sends its whole state.
   * {@code remote.merge(missingFor(remote))} equals {@code remote.merge(this)}.
   */
  public GCounter missingFor(GCounter remote) {
    TreeMap<ReplicaId, Long> ahead = new TreeMap<>();
    counts.forEach((replica, count) -> {
      if (count > remote.countOf(replica)) {
        ahead.put(replica, count);
      }
    });
    TreeSet<ReplicaId> newlyRetired = new TreeSet<>(retired);
    newlyRetired.removeAll(remote.retired);
    return create(ahead, newlyRetired);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GCounter other && counts.equals(other.counts) && retired.equals(other.retired);
  }

  @Override
  public int hashCode() {
    return 31 * counts.hashCode() + retired.hashCode();
  }

  @Override
  public String toString() {
    return "GCounter(" + value() + ", counts=" + counts + (retired.isEmpty() ? "" : ", retired=" + retired) + ")";
  }
}
