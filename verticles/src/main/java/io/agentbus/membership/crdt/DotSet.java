package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * An immutable set of {@link Dot}s; an {@link ORSet} uses one as its causal context (every dot it has seen).
 *
 * <p>Per replica the dots usually form a contiguous prefix {@code 1..n} (the version-vector entry, see
 * {@link #versionVector()}) plus a few out-of-order dots beyond it (the dot cloud). Both are kept as coalesced ranges
 * of counters, so compaction is structural: a dot that fills a gap joins the prefix at once, a set of dots has exactly
 * one representation, and {@code equals} is set equality. Ranges also keep "every dot of a retired replica" and "the
 * dots between your version and mine" small.
 */
public final class DotSet {

  private static final DotSet EMPTY = new DotSet(Collections.emptySortedMap());

  private final SortedMap<ReplicaId, DotRanges> byReplica;

  private DotSet(SortedMap<ReplicaId, DotRanges> byReplica) {
    this.byReplica = byReplica;
  }

  public static DotSet empty() {
    return EMPTY;
  }

  public static DotSet of(Dot... dots) {
    return of(List.of(dots));
  }

  public static DotSet of(Collection<Dot> dots) {
    if (dots.isEmpty()) {
      return EMPTY;
    }
    List<Dot> sorted = new ArrayList<>(dots);
    Collections.sort(sorted);
    TreeMap<ReplicaId, DotRanges> byReplica = new TreeMap<>();
    DotRanges.RangeBuilder ranges = null;
    for (int i = 0; i < sorted.size(); i++) {
      Dot dot = sorted.get(i);
      if (ranges == null) {
        ranges = new DotRanges.RangeBuilder(4);
      }
      ranges.addCoalescing(dot.counter(), dot.counter());
      boolean lastOfReplica = i + 1 == sorted.size() || !sorted.get(i + 1).replica().equals(dot.replica());
      if (lastOfReplica) {
        byReplica.put(dot.replica(), ranges.build());
        ranges = null;
      }
    }
    return new DotSet(Collections.unmodifiableSortedMap(byReplica));
  }

  /** Every dot {@code replica} could ever make: what survivors record once that replica is retired. */
  static DotSet everyDotOf(ReplicaId replica) {
    return fromRanges(Map.of(replica, DotRanges.of(1, Long.MAX_VALUE)));
  }

  static DotSet fromRanges(Map<ReplicaId, DotRanges> ranges) {
    TreeMap<ReplicaId, DotRanges> byReplica = new TreeMap<>();
    ranges.forEach((replica, counters) -> {
      if (!counters.isEmpty()) {
        byReplica.put(replica, counters);
      }
    });
    return byReplica.isEmpty() ? EMPTY : new DotSet(Collections.unmodifiableSortedMap(byReplica));
  }

  public boolean isEmpty() {
    return byReplica.isEmpty();
  }

  public boolean contains(Dot dot) {
    return rangesOf(dot.replica()).contains(dot.counter());
  }

  public boolean containsAll(DotSet other) {
    return other.minus(this).isEmpty();
  }

  /** True once every dot {@code replica} could make is in this set, i.e. the replica was retired. */
  public boolean containsEveryDotOf(ReplicaId replica) {
    return rangesOf(replica).equals(DotRanges.of(1, Long.MAX_VALUE));
  }

  public DotSet plus(Dot dot) {
    return union(of(dot));
  }

  public DotSet union(DotSet other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return combine(other, DotRanges::union);
  }

  public DotSet minus(DotSet other) {
    if (isEmpty() || other.isEmpty()) {
      return this;
    }
    return combine(other, DotRanges::minus);
  }

  public DotSet intersect(DotSet other) {
    return combine(other, DotRanges::intersect);
  }

  private DotSet combine(DotSet other, BinaryOperator<DotRanges> perReplica) {
    TreeMap<ReplicaId, DotRanges> result = new TreeMap<>();
    TreeSet<ReplicaId> replicas = new TreeSet<>(byReplica.keySet());
    replicas.addAll(other.byReplica.keySet());
    for (ReplicaId replica : replicas) {
      result.put(replica, perReplica.apply(rangesOf(replica), other.rangesOf(replica)));
    }
    return fromRanges(result);
  }

  /** The highest counter of {@code replica} in this set, 0 if none: the replica's next dot is one more. */
  public long maxCounter(ReplicaId replica) {
    return rangesOf(replica).max();
  }

  /**
   * Per replica, the n such that its dots 1..n are all in this set; replicas with n = 0 are left out. Dots beyond a
   * gap (the dot cloud) are in the set but not in this summary.
   */
  public SortedMap<ReplicaId, Long> versionVector() {
    TreeMap<ReplicaId, Long> versions = new TreeMap<>();
    byReplica.forEach((replica, counters) -> {
      if (counters.contiguousPrefix() > 0) {
        versions.put(replica, counters.contiguousPrefix());
      }
    });
    return Collections.unmodifiableSortedMap(versions);
  }

  /** The replicas with at least one dot in this set, in order. */
  public Set<ReplicaId> replicas() {
    return byReplica.keySet();
  }

  DotRanges rangesOf(ReplicaId replica) {
    return byReplica.getOrDefault(replica, DotRanges.empty());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DotSet other && byReplica.equals(other.byReplica);
  }

  @Override
  public int hashCode() {
    return byReplica.hashCode();
  }

  @Override
  public String toString() {
    return byReplica.toString();
  }
}
