package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class GCounterPropertiesTest {

  @Property(tries = 300)
  @Label("merge is commutative, associative and idempotent over states and deltas of random histories")
  void joinLaws(@ForAll @IntRange(min = 2, max = 4) int replicaCount, @ForAll("histories") List<Step> steps,
                @ForAll("indices") int i, @ForAll("indices") int j,
                @ForAll("indices") int k) {
    GCounterHistory history = GCounterHistory.play(replicaCount, steps);
    List<GCounter> samples = new ArrayList<>(history.replicas.states());
    samples.addAll(history.replicas.deltas());

    JoinLaws.assertHold(samples.get(i % samples.size()), samples.get(j % samples.size()),
        samples.get(k % samples.size()));
  }

  @Property(tries = 300)
  @Label("every delta delivered at least once, in any order and with repeats, gives the merge of all states")
  void completeDeltaDelivery(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                             @ForAll("histories") List<Step> steps, @ForAll("picks") List<Integer> repeats,
                             @ForAll("seeds") long seed) {
    GCounterHistory history = GCounterHistory.play(replicaCount, steps);
    List<GCounter> deltas = history.replicas.deltas();

    GCounter observer = DeliverySchedule.deliver(GCounter.empty(), deltas,
        DeliverySchedule.complete(deltas.size(), repeats, seed));

    assertThat(observer).isEqualTo(history.replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("lost, repeated and reordered deltas followed by one anti-entropy round give the merge of all states")
  void lossyDeltasThenAntiEntropy(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                                  @ForAll("histories") List<Step> steps, @ForAll("picks") List<Integer> picks,
                                  @ForAll("seeds") long seed) {
    GCounterHistory history = GCounterHistory.play(replicaCount, steps);
    List<GCounter> deltas = history.replicas.deltas();
    GCounter receiver = DeliverySchedule.deliver(history.replicas.state(0), deltas,
        DeliverySchedule.lossy(deltas.size(), picks, seed));

    GCounter digestSent = receiver;
    for (GCounter peer : history.replicas.states()) {
      receiver = receiver.mergeDelta(peer.missingFor(digestSent));
    }

    assertThat(receiver).isEqualTo(history.replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("with prunes anywhere in the history, no value ever drops and the merged value is the true total")
  void pruningNeverDoubleCounts(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                                @ForAll("histories") List<Step> steps) {
    GCounterHistory history = GCounterHistory.play(replicaCount, steps);

    assertThat(history.valueEverDropped).isFalse();
    assertThat(history.replicas.joinOfAll().value()).isEqualTo(history.trueTotal);
    GCounter allPrunedTheLast = GCounter.empty();
    ReplicaId last = history.replicas.id(replicaCount - 1);
    for (GCounter state : history.replicas.states()) {
      allPrunedTheLast = allPrunedTheLast.merge(state.prune(last).state());
    }
    assertThat(allPrunedTheLast.value()).isEqualTo(history.trueTotal);
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    return Step.histories();
  }

  @Provide
  Arbitrary<Integer> indices() {
    return Step.indices();
  }

  @Provide
  Arbitrary<List<Integer>> picks() {
    return Step.picks();
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Step.seeds();
  }
}
