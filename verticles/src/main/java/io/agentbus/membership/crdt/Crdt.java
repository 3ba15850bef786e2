package io.agentbus.membership.crdt;

/**
 * A state-based CRDT whose deltas are states of the same type (delta-state CRDT, Almeida, Shoker and Baquero).
 *
 * <p>Callers may rely on {@link #merge} being a join: commutative ({@code a.merge(b).equals(b.merge(a))}),
 * associative and idempotent ({@code a.merge(a).equals(a)}). So states and deltas may be delivered in any order, any
 * number of times, and lost deltas are healed by merging any later state or anti-entropy answer. Implementations are
 * immutable and thread-safe.
 *
 * @param <T> the implementing type
 */
public interface Crdt<T extends Crdt<T>> {

  /** The join of this state and {@code other}; neither is changed. */
  T merge(T other);

  /**
   * Applies a delta received from another replica. A delta is itself a state, so this is {@link #merge}; the separate
   * name marks intent at call sites. Several deltas may be combined with {@link #merge} before they are shipped.
   */
  default T mergeDelta(T delta) {
    return merge(delta);
  }
}
