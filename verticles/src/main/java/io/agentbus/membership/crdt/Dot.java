package io.agentbus.membership.crdt;

/**
 * One event of one replica: the {@code counter}-th add that {@code replica} made. Dots are unique cluster-wide as long
 * as every replica id is unique, and an element of an {@link ORSet} is present exactly while some dot of it is.
 *
 * @param replica the replica that made the event
 * @param counter 1 for its first event, then consecutive
 */
public record Dot(ReplicaId replica, long counter) implements Comparable<Dot> {

  public Dot {
    if (replica == null) {
      throw new IllegalArgumentException("a dot needs a replica");
    }
    if (counter < 1) {
      throw new IllegalArgumentException("a dot counter starts at 1, was " + counter);
    }
  }

  @Override
  public int compareTo(Dot other) {
    int byReplica = replica.compareTo(other.replica);
    return byReplica != 0 ? byReplica : Long.compare(counter, other.counter);
  }

  @Override
  public String toString() {
    return replica + ":" + counter;
  }
}
