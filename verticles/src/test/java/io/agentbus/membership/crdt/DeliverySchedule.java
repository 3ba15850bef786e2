package io.agentbus.membership.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Orders in which deltas reach a replica: reordered, repeated, and complete or lossy. */
final class DeliverySchedule {

  private DeliverySchedule() {
  }

  /** Every delta at least once, some again ({@code repeats}), all in a shuffled order. */
  static List<Integer> complete(int deltaCount, List<Integer> repeats, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < deltaCount; i++) {
      order.add(i);
    }
    return shuffled(order, deltaCount, repeats, seed);
  }

  /** Only the deltas {@code picks} names, some more than once, others never, in a shuffled order. */
  static List<Integer> lossy(int deltaCount, List<Integer> picks, long seed) {
    return shuffled(new ArrayList<>(), deltaCount, picks, seed);
  }

  private static List<Integer> shuffled(List<Integer> order, int deltaCount, List<Integer> extra, long seed) {
    if (deltaCount > 0) {
      extra.forEach(pick -> order.add(Math.floorMod(pick, deltaCount)));
    }
    Collections.shuffle(order, new Random(seed));
    return order;
  }

  static <T extends Crdt<T>> T deliver(T start, List<T> deltas, List<Integer> order) {
    T state = start;
    for (int index : order) {
      state = state.mergeDelta(deltas.get(index));
    }
    return state;
  }
}
