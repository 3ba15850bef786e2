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

  /** Up to 40 steps; single steps carry no useful edge cases, the empty history does. */
  static Arbitrary<List<Step>> histories() {
    return Combinators.combine(
        Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 63),
        Arbitraries.integers().between(0, 9)).as(Step::new).withoutEdgeCases().list().ofMaxSize(40);
  }
}
