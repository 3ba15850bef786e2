package io.agentbus.membership.crdt;

/**
 * The outcome of a local change: the replica's new state and the delta to ship to the other replicas. Merging the
 * delta into any replica that already has the old state (or any later one) gives that replica the change.
 *
 * @param state the new local state; it already includes the delta
 * @param delta the change alone, typically far smaller than the state; empty when nothing changed
 * @param <T>   the CRDT type
 */
public record Update<T extends Crdt<T>>(T state, T delta) {

  public Update {
    if (state == null || delta == null) {
      throw new IllegalArgumentException("an update needs a state and a delta");
    }
  }
}
