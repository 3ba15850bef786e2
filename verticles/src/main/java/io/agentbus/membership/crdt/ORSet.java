package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An add-wins observed-remove set in delta-state form (Almeida, Shoker and Baquero's AWSet over a dot store): each
 * element maps to the dots of the adds that put it there, and a causal context ({@link DotSet}) records every dot the
 * state has seen. An element is present while at least one of its dots is. Removing drops the element's dots from
 * the store but keeps them in the context, so a merge can tell "removed here" (dot seen, not stored) from "not yet
 * seen here" (dot not seen) without tombstones per element. Immutable; "modifying" methods return an {@link Update}.
 *
 * <p>Callers may rely on: a remove only removes the adds it has observed, so an add concurrent with a remove wins; a
 * re-add after a remove brings the element back everywhere; deltas are small (one dot plus the dots an operation
 * supersedes) and may be lost, repeated or reordered, with {@link #digest()} and {@link #missingFor} healing what is
 * lost.
 *
 * <p>Elements need value-based {@code equals}/{@code hashCode} and must be immutable.
 *
 * @param <E> the element type
 */
public final class ORSet<E> implements Crdt<ORSet<E>> {

  private static final ORSet<?> EMPTY = new ORSet<>(Map.of(), DotSet.empty());

  /** Element to the non-empty set of its dots; every stored dot is in {@link #context}. */
  private final Map<E, SortedSet<Dot>> entries;
  private final DotSet context;

  private ORSet(Map<E, SortedSet<Dot>> entries, DotSet context) {
    this.entries = entries;
    this.context = context;
  }

  @SuppressWarnings("unchecked")
  public static <E> ORSet<E> empty() {
    return (ORSet<E>) EMPTY;
  }

  /**
   * A set with the given dot store and causal context, e.g. decoded from the wire.
   *
   * @throws IllegalArgumentException if an element has no dots, a dot is outside the context or belongs to two
   *                                  elements
   */
  static <E> ORSet<E> of(Map<E, ? extends Collection<Dot>> entries, DotSet context) {
    Set<Dot> seen = new HashSet<>();
    Map<E, SortedSet<Dot>> copy = new HashMap<>();
    entries.forEach((element, dots) -> {
      if (element == null || dots.isEmpty()) {
        throw new IllegalArgumentException("every element must be non-null and have at least one dot");
      }
      for (Dot dot : dots) {
        if (!context.contains(dot) || !seen.add(dot)) {
          throw new IllegalArgumentException("dot " + dot + " is outside the causal context or stored twice");
        }
      }
      copy.put(element, sorted(dots));
    });
    return create(copy, context);
  }

  private static <E> ORSet<E> create(Map<E, SortedSet<Dot>> entries, DotSet context) {
    if (entries.isEmpty() && context.isEmpty()) {
      return empty();
    }
    return new ORSet<>(Collections.unmodifiableMap(entries), context);
  }

  /**
   * Adds {@code element} as an event of {@code replica}, which must be the local replica acting on its latest state
   * (see {@link ReplicaId}). The add gets a fresh dot and
   * supersedes the element's dots this state has seen, so the store holds one dot per concurrent add, not one per add.
   *
   * @return the new state and a delta holding the element with its new dot
   * @throws IllegalArgumentException if the element is null or the replica is retired
   */
  public Update<ORSet<E>> add(ReplicaId replica, E element) {
    if (replica == null || element == null) {
      throw new IllegalArgumentException("add needs a replica and an element");
    }
    long last = context.maxCounter(replica);
    if (last == Long.MAX_VALUE) {
      throw new IllegalArgumentException("replica " + replica + " is retired and may not add; join under a new id");
    }
    Dot dot = new Dot(replica, last + 1);
    DotSet superseded = DotSet.of(dotsOf(element));
    ORSet<E> delta = create(Map.of(element, sorted(List.of(dot))), superseded.plus(dot));
    return new Update<>(merge(delta), delta);
  }

  /**
   * Removes {@code element} as this state knows it: the adds it has seen are undone, concurrent adds elsewhere survive.
   *
   * @return the new state and a delta with no entries whose causal context holds the removed dots; an empty delta if
   *     the element is absent
   */
  public Update<ORSet<E>> remove(E element) {
    if (element == null) {
      throw new IllegalArgumentException("remove needs an element");
    }
    Set<Dot> dots = dotsOf(element);
    if (dots.isEmpty()) {
      return new Update<>(this, empty());
    }
    Map<E, SortedSet<Dot>> remaining = new HashMap<>(entries);
    remaining.remove(element);
    return new Update<>(create(remaining, context), create(Map.of(), DotSet.of(dots)));
  }

  /**
   * Retires {@code removed}, a replica that has left the cluster for good: every add it made is undone (an element
   * stays only if some other replica added it too) and every dot it could ever make enters the causal context, so its
   * adds that arrive later, from an in-flight delta, from a survivor that has not done this yet or from the replica
   * itself, are ignored.
   *
   * <p>This converges although every survivor does it on its own, at any time: the change is a merge with one fixed
   * delta, (no entries, every dot of {@code removed}), and merge is commutative, associative and idempotent. Any mix of
   * survivors that did it, did it twice or not yet, merged in any order, reaches the same state, and once every
   * replica has done it (or merged a state that has), no add of {@code removed} is left anywhere.
   *
   * @return the new state and that fixed delta
   */
  public Update<ORSet<E>> removeReplica(ReplicaId removed) {
    if (removed == null) {
      throw new IllegalArgumentException("removeReplica needs a replica");
    }
    ORSet<E> delta = create(Map.of(), DotSet.everyDotOf(removed));
    return new Update<>(merge(delta), delta);
  }

  /** True once {@code replica} has been retired with {@link #removeReplica} here or in a merged state. */
  public boolean isRetired(ReplicaId replica) {
    return context.containsEveryDotOf(replica);
  }

  /**
   * The join: a dot stays if both sides store it, or if one side stores it and the other has not seen it; a dot one
   * side has seen but no longer stores was removed there and is dropped. The contexts are united.
   */
  @Override
  public ORSet<E> merge(ORSet<E> other) {
    if (other == this || other.isEmptyState()) {
      return this;
    }
    if (isEmptyState()) {
      return other;
    }
    Map<E, SortedSet<Dot>> merged = new HashMap<>();
    entries.forEach((element, dots) -> {
      SortedSet<Dot> joined = joinDots(dots, context, other.dotsOf(element), other.context);
      if (!joined.isEmpty()) {
        merged.put(element, joined);
      }
    });
    other.entries.forEach((element, dots) -> {
      if (!entries.containsKey(element)) {
        SortedSet<Dot> joined = joinDots(Collections.emptySortedSet(), context, dots, other.context);
        if (!joined.isEmpty()) {
          merged.put(element, joined);
        }
      }
    });
    return create(merged, context.union(other.context));
  }

  /** The dots of one element that survive the join: stored on both sides, or stored on one and unseen by the other. */
  private static SortedSet<Dot> joinDots(SortedSet<Dot> mine, DotSet myContext, SortedSet<Dot> theirs,
                                         DotSet theirContext) {
    List<Dot> kept = new ArrayList<>(mine.size() + theirs.size());
    for (Dot dot : mine) {
      if (theirs.contains(dot) || !theirContext.contains(dot)) {
        kept.add(dot);
      }
    }
    boolean keptAllOfMine = kept.size() == mine.size();
    for (Dot dot : theirs) {
      if (!mine.contains(dot) && !myContext.contains(dot)) {
        kept.add(dot);
      }
    }
    if (keptAllOfMine && kept.size() == mine.size()) {
      return mine;
    }
    return kept.size() == theirs.size() && theirs.containsAll(kept) ? theirs : sorted(kept);
  }

  private static SortedSet<Dot> sorted(Collection<Dot> dots) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(dots));
  }

  /** The present elements: an unmodifiable view in no particular order. */
  public Set<E> elements() {
    return entries.keySet();
  }

  public boolean contains(E element) {
    return entries.containsKey(element);
  }

  /** How many elements are present. */
  public int size() {
    return entries.size();
  }

  /** True if no element is present (the causal context may still hold history). */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  private boolean isEmptyState() {
    return entries.isEmpty() && context.isEmpty();
  }

  /** The dots of the adds that keep {@code element} present; empty if it is absent. */
  public SortedSet<Dot> dotsOf(E element) {
    SortedSet<Dot> dots = entries.get(element);
    return dots == null ? Collections.emptySortedSet() : dots;
  }

  /** Every dot this state has seen, present or removed. */
  public DotSet context() {
    return context;
  }

  /** The dots that keep some element present. */
  public DotSet liveDots() {
    List<Dot> live = new ArrayList<>();
    entries.values().forEach(live::addAll);
    return DotSet.of(live);
  }

  /**
   * Anti-entropy, step one: a summary of this state for a peer to compare against, the causal context plus the live
   * dots (a dot per present element and concurrent add, no element payloads). The live dots are needed because a
   * remove creates no new dot: a context alone cannot show that a peer still holds an element this state removed.
   */
  public ORSetDigest digest() {
    return new ORSetDigest(context, liveDots());
  }

  /**
   * Anti-entropy, step two: exactly what the replica that sent {@code remote} lacks from this state, as a delta. It
   * holds the entries whose dots the remote has not seen, and in its context the dots the remote has not seen plus the
   * remote's live dots this state has removed. The result is exact, not a full state:
   * {@code r.merge(missingFor(r.digest()))} equals {@code r.merge(this)} for any replica state {@code r}.
   */
  public ORSet<E> missingFor(ORSetDigest remote) {
    Map<E, SortedSet<Dot>> unseen = new HashMap<>();
    entries.forEach((element, dots) -> {
      List<Dot> remoteLacks = new ArrayList<>();
      for (Dot dot : dots) {
        if (!remote.context().contains(dot)) {
          remoteLacks.add(dot);
        }
      }
      if (!remoteLacks.isEmpty()) {
        unseen.put(element, sorted(remoteLacks));
      }
    });
    DotSet removedHere = remote.liveDots().intersect(context).minus(liveDots());
    return create(unseen, context.minus(remote.context()).union(removedHere));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ORSet<?> other && entries.equals(other.entries) && context.equals(other.context);
  }

  @Override
  public int hashCode() {
    return 31 * entries.hashCode() + context.hashCode();
  }

  @Override
  public String toString() {
    return "ORSet(" + entries + ", context=" + context + ")";
  }
}
