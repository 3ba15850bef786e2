package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ORSetPropertiesTest {

  @Property(tries = 300)
  @Label("merge is commutative, associative and idempotent over states and deltas of random histories")
  void joinLaws(@ForAll @IntRange(min = 2, max = 4) int replicaCount, @ForAll("histories") List<Step> steps,
                @ForAll("indices") int i, @ForAll("indices") int j, @ForAll("indices") int k) {
    List<ORSet<String>> samples = statesAndDeltas(ORSetHistory.play(replicaCount, steps));

    JoinLaws.assertHold(samples.get(i % samples.size()), samples.get(j % samples.size()),
        samples.get(k % samples.size()));
  }

  @Property(tries = 300)
  @Label("every delta delivered at least once, in any order and with repeats, gives the merge of all states")
  void completeDeltaDelivery(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                             @ForAll("histories") List<Step> steps, @ForAll("picks") List<Integer> repeats,
                             @ForAll("seeds") long seed) {
    ORSetHistory history = ORSetHistory.play(replicaCount, steps);
    List<ORSet<String>> deltas = history.replicas.deltas();

    ORSet<String> observer = DeliverySchedule.deliver(ORSet.empty(), deltas,
        DeliverySchedule.complete(deltas.size(), repeats, seed));

    assertThat(observer).isEqualTo(history.replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("lost, repeated and reordered deltas followed by one digest exchange give the merge of all states")
  void lossyDeltasThenAntiEntropy(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                                  @ForAll("histories") List<Step> steps, @ForAll("picks") List<Integer> picks,
                                  @ForAll("seeds") long seed) {
    ORSetHistory history = ORSetHistory.play(replicaCount, steps);
    List<ORSet<String>> deltas = history.replicas.deltas();
    ORSet<String> receiver = DeliverySchedule.deliver(history.replicas.state(0), deltas,
        DeliverySchedule.lossy(deltas.size(), picks, seed));

    ORSetDigest digest = receiver.digest();
    for (ORSet<String> peer : history.replicas.states()) {
      receiver = receiver.mergeDelta(peer.missingFor(digest));
    }

    assertThat(receiver).isEqualTo(history.replicas.joinOfAll());
  }

  @Property(tries = 300)
  @Label("missingFor is exact and holds only entries the remote has not seen")
  void missingForIsExact(@ForAll @IntRange(min = 2, max = 4) int replicaCount, @ForAll("histories") List<Step> steps,
                         @ForAll("indices") int i, @ForAll("indices") int j) {
    List<ORSet<String>> samples = statesAndDeltas(ORSetHistory.play(replicaCount, steps));
    ORSet<String> remote = samples.get(i % samples.size());
    ORSet<String> local = samples.get(j % samples.size());

    ORSet<String> missing = local.missingFor(remote.digest());

    assertThat(remote.merge(missing)).isEqualTo(remote.merge(local));
    assertThat(local.elements()).containsAll(missing.elements());
    for (String element : missing.elements()) {
      assertThat(missing.dotsOf(element)).noneMatch(dot -> remote.context().contains(dot));
    }
  }

  @Property(tries = 300)
  @Label("survivors that remove a dead replica on their own converge to the merge with that replica removed")
  void removeReplicaConverges(@ForAll @IntRange(min = 2, max = 4) int replicaCount,
                              @ForAll("histories") List<Step> steps, @ForAll @IntRange(min = 1, max = 15) int doers) {
    ORSetHistory history = ORSetHistory.play(replicaCount, steps);
    ReplicaId dead = history.replicas.id(replicaCount - 1);
    List<ORSet<String>> survivors = new ArrayList<>();
    for (int r = 0; r < replicaCount; r++) {
      boolean removesDead = r == 0 || (doers & (1 << r)) != 0;
      ORSet<String> state = history.replicas.state(r);
      survivors.add(removesDead ? state.removeReplica(dead).state() : state);
    }

    ORSet<String> forwards = Replicas.joinAll(ORSet.empty(), survivors);
    List<ORSet<String>> reversed = new ArrayList<>(survivors);
    Collections.reverse(reversed);
    ORSet<String> backwards = Replicas.joinAll(ORSet.empty(), reversed);

    assertThat(forwards).isEqualTo(backwards);
    assertThat(forwards).isEqualTo(history.replicas.joinOfAll().removeReplica(dead).state());
    for (String element : forwards.elements()) {
      assertThat(forwards.dotsOf(element)).noneMatch(dot -> dot.replica().equals(dead));
    }
  }

  private static List<ORSet<String>> statesAndDeltas(ORSetHistory history) {
    List<ORSet<String>> samples = new ArrayList<>(history.replicas.states());
    samples.addAll(history.replicas.deltas());
    return samples;
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
