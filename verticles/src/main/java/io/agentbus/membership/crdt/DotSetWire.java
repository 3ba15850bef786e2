package io.agentbus.membership.crdt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a {@link DotSet} either with its replica ids (a causal context, whose replicas then serve as the table that
 * later dots refer to by index) or by index into such a table (the live dots of a digest).
 */
final class DotSetWire {

  private DotSetWire() {
  }

  /** Writes the ids and ranges; returns the replicas in the order later indices refer to. */
  static List<ReplicaId> writeWithReplicas(WireWriter out, DotSet set) {
    List<ReplicaId> replicas = List.copyOf(set.replicas());
    out.writeVarLong(replicas.size());
    for (ReplicaId replica : replicas) {
      out.writeReplica(replica);
      writeRanges(out, set.rangesOf(replica));
    }
    return replicas;
  }

  /** Writes a set whose replicas all appear in {@code table}. */
  static void writeIndexed(WireWriter out, DotSet set, List<ReplicaId> table) {
    Map<ReplicaId, Integer> index = indexOf(table);
    out.writeVarLong(set.replicas().size());
    for (ReplicaId replica : set.replicas()) {
      out.writeVarLong(index.get(replica));
      writeRanges(out, set.rangesOf(replica));
    }
  }

  static Map<ReplicaId, Integer> indexOf(List<ReplicaId> table) {
    Map<ReplicaId, Integer> index = new HashMap<>();
    for (int i = 0; i < table.size(); i++) {
      index.put(table.get(i), i);
    }
    return index;
  }

  /**
   * Reads ids and ranges. Every listed replica has at least one dot, so the replicas of the result, in order, are the
   * table that later indices refer to.
   */
  static DotSet readWithReplicas(WireReader in) {
    int count = in.readCount(WireFormat.MAX_REPLICAS, 3, "replica count");
    TreeMap<ReplicaId, DotRanges> ranges = new TreeMap<>();
    ReplicaId previous = null;
    for (int i = 0; i < count; i++) {
      previous = in.readReplicaAfter(previous);
      ranges.put(previous, readRanges(in));
    }
    return DotSet.fromRanges(ranges);
  }

  static DotSet readIndexed(WireReader in, List<ReplicaId> table) {
    int count = in.readCount(table.size(), 3, "replica count");
    TreeMap<ReplicaId, DotRanges> ranges = new TreeMap<>();
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int index = readIndex(in, table);
      if (index <= previous) {
        throw new CrdtDecodingException("replica indices are not in strictly ascending order");
      }
      previous = index;
      ranges.put(table.get(index), readRanges(in));
    }
    return DotSet.fromRanges(ranges);
  }

  static int readIndex(WireReader in, List<ReplicaId> table) {
    long index = in.readVarLong("replica index");
    if (index >= table.size()) {
      throw new CrdtDecodingException("replica index " + index + " is outside the table of " + table.size());
    }
    return (int) index;
  }

  /** Count, then per range the gap since the previous one and its span, so ranges are ascending and disjoint. */
  private static void writeRanges(WireWriter out, DotRanges ranges) {
    out.writeVarLong(ranges.rangeCount());
    long nextAllowedStart = 1;
    for (int r = 0; r < ranges.rangeCount(); r++) {
      out.writeVarLong(ranges.start(r) - nextAllowedStart);
      out.writeVarLong(ranges.end(r) - ranges.start(r));
      nextAllowedStart = ranges.end(r) + 2;
    }
  }

  private static DotRanges readRanges(WireReader in) {
    int count = in.readCount(WireFormat.MAX_RANGES_PER_REPLICA, 2, "range count");
    if (count == 0) {
      throw new CrdtDecodingException("a replica is listed without any dots");
    }
    long[] bounds = new long[2 * count];
    long nextAllowedStart = 1;
    try {
      for (int r = 0; r < count; r++) {
        long start = Math.addExact(nextAllowedStart, in.readVarLong("range gap"));
        long end = Math.addExact(start, in.readVarLong("range span"));
        bounds[2 * r] = start;
        bounds[2 * r + 1] = end;
        nextAllowedStart = r + 1 < count ? Math.addExact(end, 2) : 0;
      }
    } catch (ArithmeticException e) {
      throw new CrdtDecodingException("a dot range goes past the largest counter", e);
    }
    return DotRanges.fromBounds(bounds);
  }
}
