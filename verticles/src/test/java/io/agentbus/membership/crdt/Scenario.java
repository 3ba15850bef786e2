package io.agentbus.membership.crdt;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;

/**
 * What one try of a convergence property runs: a history on 2 to 4 replicas, then a delivery of its deltas.
 *
 * @param replicaCount how many replicas play the history
 * @param steps        the history
 * @param picks        deltas to deliver (again), taken modulo the number of deltas
 * @param seed         shuffles the delivery order
 * @param samples      picks among the states and deltas the history produced
 */
record Scenario(int replicaCount, List<Step> steps, List<Integer> picks, long seed, List<Integer> samples) {

  <T> T sample(List<T> candidates, int which) {
    return candidates.get(samples.get(which) % candidates.size());
  }

  /** For {@code @ForAll(supplier = Scenario.Random.class)}. */
  static final class Random implements ArbitrarySupplier<Scenario> {
    @Override
    public Arbitrary<Scenario> get() {
      return Combinators.combine(
          Arbitraries.integers().between(2, 4),
          Step.histories(),
          Arbitraries.integers().between(0, 999).list().ofMaxSize(30).withoutEdgeCases(),
          Arbitraries.longs().withoutEdgeCases(),
          Arbitraries.integers().between(0, 99).list().ofSize(3).withoutEdgeCases()).as(Scenario::new);
    }
  }
}
