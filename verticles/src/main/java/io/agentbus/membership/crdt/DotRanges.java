package io.agentbus.membership.crdt;

import java.util.Arrays;

/**
 * The counters one replica's dots cover, as sorted, disjoint, non-adjacent closed ranges of positive longs. Adjacent
 * ranges are always coalesced, so a set of counters has exactly one representation and {@code equals} is set equality.
 */
final class DotRanges {

  private static final DotRanges EMPTY = new DotRanges(new long[0]);

  /** start0, end0, start1, end1, ... */
  private final long[] bounds;

  private DotRanges(long[] bounds) {
    this.bounds = bounds;
  }

  static DotRanges empty() {
    return EMPTY;
  }

  static DotRanges of(long start, long end) {
    if (start < 1 || end < start) {
      throw new IllegalArgumentException("not a range of dot counters: " + start + ".." + end);
    }
    return new DotRanges(new long[] {start, end});
  }

  /**
   * @param bounds start0, end0, start1, end1, ...: each range non-empty, starting at 1 or later and beginning at least
   *               two past the end of the one before (so ranges are disjoint and not adjacent)
   */
  static DotRanges fromBounds(long[] bounds) {
    if (bounds.length % 2 != 0) {
      throw new IllegalArgumentException("range bounds come in pairs");
    }
    for (int i = 0; i < bounds.length; i += 2) {
      long start = bounds[i];
      long end = bounds[i + 1];
      boolean startsAfterPrevious = i == 0 ? start >= 1 : start - 1 > bounds[i - 1];
      if (!startsAfterPrevious || end < start) {
        throw new IllegalArgumentException("dot ranges must be non-empty, sorted, disjoint and not adjacent");
      }
    }
    return bounds.length == 0 ? EMPTY : new DotRanges(bounds.clone());
  }

  boolean isEmpty() {
    return bounds.length == 0;
  }

  int rangeCount() {
    return bounds.length / 2;
  }

  long start(int range) {
    return bounds[2 * range];
  }

  long end(int range) {
    return bounds[2 * range + 1];
  }

  /** The highest counter covered, 0 if none. */
  long max() {
    return isEmpty() ? 0 : bounds[bounds.length - 1];
  }

  /** n such that 1..n are all covered (the version-vector entry), 0 if counter 1 is not covered. */
  long contiguousPrefix() {
    return !isEmpty() && bounds[0] == 1 ? bounds[1] : 0;
  }

  boolean contains(long counter) {
    int low = 0;
    int high = rangeCount() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (counter < start(mid)) {
        high = mid - 1;
      } else if (counter > end(mid)) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  DotRanges union(DotRanges other) {
    if (other.isEmpty() || this.equals(other)) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    RangeBuilder out = new RangeBuilder(bounds.length + other.bounds.length);
    int i = 0;
    int j = 0;
    while (i < rangeCount() || j < other.rangeCount()) {
      boolean takeMine = j == other.rangeCount() || i < rangeCount() && start(i) <= other.start(j);
      if (takeMine) {
        out.addCoalescing(start(i), end(i));
        i++;
      } else {
        out.addCoalescing(other.start(j), other.end(j));
        j++;
      }
    }
    return out.build();
  }

  DotRanges minus(DotRanges other) {
    if (isEmpty() || other.isEmpty()) {
      return this;
    }
    RangeBuilder out = new RangeBuilder(bounds.length + other.bounds.length);
    int j = 0;
    for (int i = 0; i < rangeCount(); i++) {
      long start = start(i);
      long end = end(i);
      while (j < other.rangeCount() && other.end(j) < start) {
        j++;
      }
      long from = start;
      boolean exhausted = false;
      for (int k = j; k < other.rangeCount() && other.start(k) <= end; k++) {
        if (other.start(k) > from) {
          out.addCoalescing(from, other.start(k) - 1);
        }
        if (other.end(k) >= end) {
          exhausted = true;
          break;
        }
        from = other.end(k) + 1;
      }
      if (!exhausted) {
        out.addCoalescing(from, end);
      }
    }
    return out.build();
  }

  DotRanges intersect(DotRanges other) {
    return minus(minus(other));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DotRanges other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (int r = 0; r < rangeCount(); r++) {
      text.append(r == 0 ? "" : ",").append(start(r));
      if (end(r) != start(r)) {
        text.append('-').append(end(r) == Long.MAX_VALUE ? "max" : String.valueOf(end(r)));
      }
    }
    return text.append(']').toString();
  }

  /** Collects ranges in ascending order of start, merging any that overlap or touch the previous one. */
  static final class RangeBuilder {

    private long[] bounds;
    private int size;

    RangeBuilder(int capacity) {
      bounds = new long[Math.max(2, capacity)];
    }

    void addCoalescing(long start, long end) {
      if (size > 0 && start - 1 <= bounds[size - 1]) {
        bounds[size - 1] = Math.max(bounds[size - 1], end);
        return;
      }
      if (size == bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[size++] = start;
      bounds[size++] = end;
    }

    DotRanges build() {
      return size == 0 ? EMPTY : new DotRanges(Arrays.copyOf(bounds, size));
    }
  }
}
