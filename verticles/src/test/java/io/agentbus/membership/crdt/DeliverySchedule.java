package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Delivers a history's deltas to one replica: reordered, repeated, and complete or lossy. */
final class DeliverySchedule {

  private DeliverySchedule() {
  }

  /** A fresh replica gets every delta at least once, some again, all in a shuffled order. */
  static <T extends Crdt<T>> T everyDelta(T empty, Replicas<T> replicas, Scenario scenario) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < replicas.deltas().size(); i++) {
      order.add(i);
    }
    return deliver(empty, replicas.deltas(), shuffled(order, replicas.deltas().size(), scenario));
  }

  /**
   * Replica 0 gets only the deltas the scenario picks, some more than once, others never, in a shuffled order; then it
   * sends one digest to every replica and merges their answers.
   */
  static <T extends Crdt<T>, D> T lossyThenAntiEntropy(Replicas<T> replicas, Scenario scenario,
                                                     Function<T, D> digest, BiFunction<T, D, T> missingFor) {
    List<Integer> order = shuffled(new ArrayList<>(), replicas.deltas().size(), scenario);
    T receiver = deliver(replicas.state(0), replicas.deltas(), order);
    D sent = digest.apply(receiver);
    for (T peer : replicas.states()) {
      receiver = receiver.mergeDelta(missingFor.apply(peer, sent));
    }
    return receiver;
  }

  private static List<Integer> shuffled(List<Integer> order, int deltaCount, Scenario scenario) {
    if (deltaCount > 0) {
      scenario.picks().forEach(pick -> order.add(Math.floorMod(pick, deltaCount)));
    }
    Collections.shuffle(order, new Random(scenario.seed()));
    return order;
  }

  private static <T extends Crdt<T>> T deliver(T start, List<T> deltas, List<Integer> order) {
    T state = start;
    for (int index : order) {
      state = state.mergeDelta(deltas.get(index));
    }
    return state;
  }
}
