package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ORSetTest {

  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");
  private static final ReplicaId C = ReplicaId.of("c");
  private static final ReplicaId D = ReplicaId.of("d");

  private static ORSet<String> added(ORSet<String> set, ReplicaId replica, String element) {
    return set.add(replica, element).state();
  }

  private static ORSet<String> removed(ORSet<String> set, String element) {
    return set.remove(element).state();
  }

  @Test
  @DisplayName("an add makes the element present and its delta carries it, with a fresh dot, to another replica")
  void addAndShip() {
    Update<ORSet<String>> update = ORSet.<String>empty().add(A, "agent-1");

    assertThat(update.state().elements()).containsExactly("agent-1");
    assertThat(update.state().contains("agent-1")).isTrue();
    assertThat(update.state().size()).isEqualTo(1);
    assertThat(update.delta().dotsOf("agent-1")).containsExactly(new Dot(A, 1));
    assertThat(ORSet.<String>empty().mergeDelta(update.delta())).isEqualTo(update.state());
  }

  @Test
  @DisplayName("re-adding on the same replica replaces the element's dot instead of piling dots up")
  void reAddSupersedesOwnDot() {
    ORSet<String> set = added(added(ORSet.empty(), A, "x"), A, "x");

    assertThat(set.dotsOf("x")).containsExactly(new Dot(A, 2));
    assertThat(set.context().versionVector()).isEqualTo(Map.of(A, 2L));
  }

  @Test
  @DisplayName("a remove delta has no entries; its causal context holds exactly the removed dots")
  void removeDeltaIsContextOnly() {
    ORSet<String> set = added(added(ORSet.empty(), A, "x"), A, "y");

    Update<ORSet<String>> update = set.remove("x");

    assertThat(update.state().elements()).containsExactly("y");
    assertThat(update.delta().isEmpty()).isTrue();
    assertThat(update.delta().context()).isEqualTo(DotSet.of(new Dot(A, 1)));
    assertThat(set.remove("absent").state()).isSameAs(set);
    assertThat(set.remove("absent").delta()).isEqualTo(ORSet.empty());
  }

  @Test
  @DisplayName("merge is the same both ways for concurrent adds and removes")
  void mergeBothWays() {
    ORSet<String> shared = added(added(ORSet.empty(), A, "x"), A, "y");
    ORSet<String> left = removed(added(shared, A, "z"), "x");
    ORSet<String> right = removed(added(shared, B, "w"), "y");

    assertThat(left.merge(right)).isEqualTo(right.merge(left));
    assertThat(left.merge(right).elements()).containsExactlyInAnyOrder("z", "w");
    assertThat(left.merge(left)).isEqualTo(left);
  }

  @Test
  @DisplayName("three replicas merged in all six orders reach the same set")
  void allSixOrders() {
    ORSet<String> a = added(added(ORSet.empty(), A, "x"), A, "y");
    ORSet<String> b = removed(added(a, B, "z"), "x");
    ORSet<String> c = added(removed(a, "y"), C, "x");
    List<List<ORSet<String>>> orders = List.of(List.of(a, b, c), List.of(a, c, b), List.of(b, a, c),
        List.of(b, c, a), List.of(c, a, b), List.of(c, b, a));

    for (List<ORSet<String>> order : orders) {
      ORSet<String> merged = order.get(0).merge(order.get(1)).merge(order.get(2));
      assertThat(merged).isEqualTo(a.merge(b).merge(c));
      assertThat(merged.elements()).containsExactlyInAnyOrder("x", "z");
    }
  }

  @Test
  @DisplayName("add wins: a remove on one replica concurrent with an add on another keeps the element")
  void addWins() {
    ORSet<String> shared = added(ORSet.empty(), A, "x");
    ORSet<String> removedOnA = removed(shared, "x");
    ORSet<String> addedOnB = added(shared, B, "x");

    assertThat(removedOnA.merge(addedOnB).contains("x")).isTrue();
    assertThat(addedOnB.merge(removedOnA).contains("x")).isTrue();
    assertThat(removedOnA.merge(addedOnB).dotsOf("x")).containsExactly(new Dot(B, 1));
  }

  @Test
  @DisplayName("add wins also when the concurrent add happened on a replica that never saw the first add")
  void addWinsWithoutSharedHistory() {
    ORSet<String> removedOnA = removed(added(ORSet.empty(), A, "x"), "x");
    ORSet<String> addedOnB = added(ORSet.empty(), B, "x");

    assertThat(removedOnA.merge(addedOnB).contains("x")).isTrue();
  }

  @Test
  @DisplayName("removing an observed add removes the element everywhere once merged, in any order")
  void observedRemoveRemovesEverywhere() {
    ORSet<String> a = added(ORSet.empty(), A, "x");
    ORSet<String> b = removed(ORSet.<String>empty().merge(a), "x");
    ORSet<String> c = ORSet.<String>empty().merge(a);

    assertThat(a.merge(b).contains("x")).isFalse();
    assertThat(b.merge(a).contains("x")).isFalse();
    assertThat(c.merge(b).merge(a).contains("x")).isFalse();
    assertThat(a.merge(c).merge(b)).isEqualTo(c.merge(b).merge(a));
  }

  @Test
  @DisplayName("a remove delta that overtakes its add still wins: the late add is recognised as already removed")
  void removeOvertakesAdd() {
    Update<ORSet<String>> add = ORSet.<String>empty().add(A, "x");
    Update<ORSet<String>> remove = add.state().remove("x");

    ORSet<String> receiver = ORSet.<String>empty().mergeDelta(remove.delta()).mergeDelta(add.delta());

    assertThat(receiver.contains("x")).isFalse();
    assertThat(receiver).isEqualTo(remove.state());
  }

  @Test
  @DisplayName("re-adding after a remove brings the element back everywhere")
  void reAddAfterRemove() {
    ORSet<String> a = added(ORSet.empty(), A, "x");
    ORSet<String> b = removed(ORSet.<String>empty().merge(a), "x");
    ORSet<String> reAdded = added(b, B, "x");

    assertThat(reAdded.contains("x")).isTrue();
    assertThat(a.merge(reAdded).contains("x")).isTrue();
    assertThat(reAdded.merge(a).merge(b).contains("x")).isTrue();
  }

  @Test
  @DisplayName("removing a replica removes what only it added, keeps what another replica added too, and is sticky")
  void removeReplica() {
    ORSet<String> set = added(added(added(ORSet.empty(), C, "only-c"), C, "shared"), A, "shared");
    Update<ORSet<String>> lateAddOfC = set.add(C, "late");

    Update<ORSet<String>> update = set.removeReplica(C);

    assertThat(update.state().elements()).containsExactly("shared");
    assertThat(update.state().dotsOf("shared")).containsExactly(new Dot(A, 1));
    assertThat(update.state().isRetired(C)).isTrue();
    assertThat(update.delta()).isEqualTo(ORSet.<String>empty().removeReplica(C).state());
    assertThat(update.state().mergeDelta(lateAddOfC.delta()).contains("late")).as("a late add of C is ignored")
        .isFalse();
    assertThat(update.state().removeReplica(C).state()).isEqualTo(update.state());
    assertThatThrownBy(() -> update.state().add(C, "again")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("survivors removing a dead replica on their own, at different times, converge")
  void survivorsRemoveReplicaIndependently() {
    ORSet<String> c1 = added(ORSet.empty(), C, "c-1");
    ORSet<String> c2 = added(c1, C, "c-2");
    ORSet<String> survivorA = added(c1, A, "a-1").removeReplica(C).state();
    ORSet<String> survivorB = added(c2, B, "b-1").removeReplica(C).state();
    ORSet<String> notYet = added(c2, D, "d-1");

    ORSet<String> oneWay = survivorA.merge(notYet).merge(survivorB);
    ORSet<String> otherWay = survivorB.merge(survivorA).merge(notYet);

    assertThat(oneWay).isEqualTo(otherWay);
    assertThat(oneWay.elements()).containsExactlyInAnyOrder("a-1", "b-1", "d-1");
  }

  @Test
  @DisplayName("missingFor gives a peer that missed an add and a remove exactly what a full merge would")
  void antiEntropy() {
    ORSet<String> shared = added(added(ORSet.empty(), A, "x"), A, "y");
    ORSet<String> ahead = added(removed(shared, "x"), A, "z");

    ORSet<String> missing = ahead.missingFor(shared.digest());

    assertThat(missing.elements()).as("only what the peer has not seen").containsExactly("z");
    assertThat(shared.merge(missing)).isEqualTo(shared.merge(ahead));
    assertThat(shared.merge(missing).elements()).containsExactlyInAnyOrder("y", "z");
    assertThat(ahead.missingFor(ahead.digest())).isEqualTo(ORSet.empty());
  }

  @Test
  @DisplayName("a digest is the causal context and the live dots, no elements")
  void digest() {
    ORSet<String> set = removed(added(added(ORSet.empty(), A, "x"), B, "y"), "x");

    ORSetDigest digest = set.digest();

    assertThat(digest.context()).isEqualTo(DotSet.of(new Dot(A, 1), new Dot(B, 1)));
    assertThat(digest.liveDots()).isEqualTo(DotSet.of(new Dot(B, 1)));
    assertThatThrownBy(() -> new ORSetDigest(DotSet.empty(), DotSet.of(new Dot(A, 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("nulls and stores that break the invariants fail loudly")
  void preconditions() {
    ORSet<String> set = ORSet.empty();

    assertThatThrownBy(() -> set.add(null, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.add(A, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.remove(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.removeReplica(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ORSet.of(Map.of("x", List.of(new Dot(A, 1))), DotSet.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ORSet.of(Map.of("x", List.of(new Dot(A, 1)), "y", List.of(new Dot(A, 1))),
        DotSet.of(new Dot(A, 1)))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ORSet.of(Map.of("x", List.<Dot>of()), DotSet.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
