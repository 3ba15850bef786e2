package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A few replicas of one CRDT that change locally, ship deltas and sync full states; every delta is recorded. */
final class Replicas<T extends Crdt<T>> {

  private final T empty;
  private final List<ReplicaId> ids = new ArrayList<>();
  private final List<T> states = new ArrayList<>();
  private final List<T> deltas = new ArrayList<>();

  Replicas(int count, T empty) {
    this.empty = empty;
    for (int i = 0; i < count; i++) {
      ids.add(ReplicaId.of("node-" + i));
      states.add(empty);
    }
  }

  int count() {
    return states.size();
  }

  ReplicaId id(int replica) {
    return ids.get(replica);
  }

  T state(int replica) {
    return states.get(replica);
  }

  List<T> states() {
    return Collections.unmodifiableList(states);
  }

  List<T> deltas() {
    return Collections.unmodifiableList(deltas);
  }

  /** Every final state and every delta: all are states of the CRDT's lattice. */
  List<T> statesAndDeltas() {
    List<T> all = new ArrayList<>(states);
    all.addAll(deltas);
    return all;
  }

  void apply(int replica, Update<T> update) {
    states.set(replica, update.state());
    deltas.add(update.delta());
  }

  void replace(int replica, T state) {
    states.set(replica, state);
  }

  void sync(int from, int to) {
    states.set(to, states.get(to).merge(states.get(from)));
  }

  void deliverDelta(int deltaIndex, int to) {
    if (!deltas.isEmpty()) {
      states.set(to, states.get(to).mergeDelta(deltas.get(Math.floorMod(deltaIndex, deltas.size()))));
    }
  }

  T joinOfAll() {
    return joinAll(empty, states);
  }

  static <T extends Crdt<T>> T joinAll(T start, List<T> states) {
    T joined = start;
    for (T state : states) {
      joined = joined.merge(state);
    }
    return joined;
  }
}
