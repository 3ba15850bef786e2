package io.agentbus.membership.crdt;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One step of a generated replica history; each CRDT's history reads {@code kind} its own way.
 *
 * @param kind    which operation, 0 to 9
 * @param replica the replica that acts (modulo the replica count)
 * @param other   a second replica or a delta index (modulo what exists)
 * @param value   an amount or an element choice
 */
record Step(int kind, int replica, int other, int value) {

  static Arbitrary<List<Step>> histories() {
    return Combinators.combine(
        Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 63),
        Arbitraries.integers().between(0, 9)).as(Step::new).withoutEdgeCases().list().ofMaxSize(40);
  }

  /** Picks among generated states; edge cases of a pick add nothing. */
  static Arbitrary<Integer> indices() {
    return Arbitraries.integers().between(0, 99).withoutEdgeCases();
  }

  /** Which deltas to deliver (again): indices taken modulo the number of deltas. */
  static Arbitrary<List<Integer>> picks() {
    return Arbitraries.integers().between(0, 999).list().ofMaxSize(30).withoutEdgeCases();
  }

  /** Seeds for shuffling; edge cases of a seed add nothing. */
  static Arbitrary<Long> seeds() {
    return Arbitraries.longs().withoutEdgeCases();
  }
}
