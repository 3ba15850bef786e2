package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

class ORSetPropertiesTest {

  private static Replicas<ORSet<String>> play(Scenario scenario) {
    return ORSetHistory.play(scenario.replicaCount(), scenario.steps()).replicas;
  }

  @Property(tries = 300)
  @Label("merge is commutative, associative and idempotent over states and deltas of random histories")
  void joinLaws(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    List<ORSet<String>> samples = play(scenario).statesAndDeltas();

    JoinLaws.assertHold(scenario.sample(samples, 0), scenario.sample(samples, 1), scenario.sample(samples, 2));
  }

  @Property(tries = 300)
  @Label("every delta delivered at least once, in any order and with repeats, gives the merge of all states")
  void completeDeltaDelivery(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<ORSet<String>> replicas = play(scenario);

    assertThat(DeliverySchedule.everyDelta(ORSet.empty(), replicas, scenario)).isEqualTo(replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("lost, repeated and reordered deltas followed by one digest exchange give the merge of all states")
  void lossyDeltasThenAntiEntropy(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<ORSet<String>> replicas = play(scenario);

    ORSet<String> healed = DeliverySchedule.lossyThenAntiEntropy(replicas, scenario, ORSet::digest,
        ORSet::missingFor);

    assertThat(healed).isEqualTo(replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("missingFor is exact and holds only entries the remote has not seen")
  void missingForIsExact(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    List<ORSet<String>> samples = play(scenario).statesAndDeltas();
    ORSet<String> remote = scenario.sample(samples, 0);
    ORSet<String> local = scenario.sample(samples, 1);

    ORSet<String> missing = local.missingFor(remote.digest());

    assertThat(remote.merge(missing)).isEqualTo(remote.merge(local));
    assertThat(local.elements()).containsAll(missing.elements());
    for (String element : missing.elements()) {
      assertThat(missing.dotsOf(element)).noneMatch(dot -> remote.context().contains(dot));
    }
  }

  @Property(tries = 300)
  @Label("survivors that remove a dead replica on their own converge to the merge with that replica removed")
  void removeReplicaConverges(@ForAll(supplier = Scenario.Random.class) Scenario scenario) {
    Replicas<ORSet<String>> replicas = play(scenario);
    ReplicaId dead = replicas.id(replicas.count() - 1);
    List<ORSet<String>> survivors = new ArrayList<>();
    for (int r = 0; r < replicas.count(); r++) {
      boolean removesDead = r == 0 || (scenario.seed() >>> r & 1) == 1;
      survivors.add(removesDead ? replicas.state(r).removeReplica(dead).state() : replicas.state(r));
    }

    ORSet<String> forwards = Replicas.joinAll(ORSet.empty(), survivors);
    Collections.reverse(survivors);
    ORSet<String> backwards = Replicas.joinAll(ORSet.empty(), survivors);

    assertThat(forwards).isEqualTo(backwards);
    assertThat(forwards).isEqualTo(replicas.joinOfAll().removeReplica(dead).state());
    for (String element : forwards.elements()) {
      assertThat(forwards.dotsOf(element)).noneMatch(dot -> dot.replica().equals(dead));
    }
  }
}
