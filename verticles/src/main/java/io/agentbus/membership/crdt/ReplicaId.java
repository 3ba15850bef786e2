package io.agentbus.membership.crdt;

/**
 * The identity of one replica (one node) that changes a CRDT: every increment and every add is attributed to a
 * replica. The membership layer uses the node id, which is unique per node incarnation.
 *
 * <p>One replica id belongs to one lineage of states: only the node that owns it changes state in its name, and only
 * ever on its latest state. Two diverging copies that both add or increment as the same replica create the same dot
 * (or count) twice, and merges then drop or undercount those changes.
 *
 * <p>A replica id is single-use: once survivors have retired it ({@link GCounter#prune}, {@link ORSet#removeReplica}),
 * a node that comes back must join under a fresh id, or its new changes are refused or ignored.
 *
 * <p>Ordered by its text, so states that hold several replicas have one canonical order (for equality and encoding).
 *
 * @param value 1 to {@value #MAX_LENGTH} characters of well-formed UTF-16 (no lone surrogates, so it survives UTF-8)
 */
public record ReplicaId(String value) implements Comparable<ReplicaId> {

  /** The longest id accepted, in UTF-16 characters. */
  public static final int MAX_LENGTH = 256;

  public ReplicaId {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a replica id must have 1 to " + MAX_LENGTH + " characters, was "
          + (value == null ? "null" : value.length() + " characters"));
    }
    if (!Utf8.isWellFormed(value)) {
      throw new IllegalArgumentException("a replica id must be well-formed UTF-16 (no lone surrogates)");
    }
  }

  public static ReplicaId of(String value) {
    return new ReplicaId(value);
  }

  @Override
  public int compareTo(ReplicaId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
