package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

class GCounterPropertiesTest {

  private static Replicas<GCounter> play(Scenario scenario) {
    return GCounterHistory.play(scenario.replicaCount(), scenario.steps()).replicas;
  }

  @Property(tries = 300)
  @Label("merge is commutative, associative and idempotent over states and deltas of random histories")
  void joinLaws(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    List<GCounter> samples = play(scenario).statesAndDeltas();

    JoinLaws.assertHold(scenario.sample(samples, 0), scenario.sample(samples, 1), scenario.sample(samples, 2));
  }

  @Property(tries = 300)
  @Label("every delta delivered at least once, in any order and with repeats, gives the merge of all states")
  void completeDeltaDelivery(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<GCounter> replicas = play(scenario);

    assertThat(DeliverySchedule.everyDelta(GCounter.empty(), replicas, scenario)).isEqualTo(replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("lost, repeated and reordered deltas followed by one anti-entropy round give the merge of all states")
  void lossyDeltasThenAntiEntropy(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<GCounter> replicas = play(scenario);

    GCounter healed = DeliverySchedule.lossyThenAntiEntropy(replicas, scenario, state -> state, GCounter::missingFor);

    assertThat(healed).isEqualTo(replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("with prunes anywhere in the history, no value ever drops and the merged value is the true total")
  void pruningNeverDoubleCounts(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    GCounterHistory history = GCounterHistory.play(scenario.replicaCount(), scenario.steps());

    assertThat(history.valueEverDropped).isFalse();
    assertThat(history.replicas.joinOfAll().value()).isEqualTo(history.trueTotal);
    GCounter allPrunedTheLast = GCounter.empty();
    ReplicaId last = history.replicas.id(scenario.replicaCount() - 1);
    for (GCounter state : history.replicas.states()) {
      allPrunedTheLast = allPrunedTheLast.merge(state.prune(last).state());
    }
    assertThat(allPrunedTheLast.value()).isEqualTo(history.trueTotal);
  }
}
