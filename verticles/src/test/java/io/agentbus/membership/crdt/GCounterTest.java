package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GCounterTest {

  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");
  private static final ReplicaId C = ReplicaId.of("c");

  private static GCounter counted(GCounter start, ReplicaId replica, long n) {
    return start.increment(replica, n).state();
  }

  @Test
  @DisplayName("increments add up per replica and the value is their sum")
  void incrementsAddUp() {
    GCounter counter = counted(counted(counted(GCounter.empty(), A, 2), B, 3), A, 5);

    assertThat(counter.value()).isEqualTo(10);
    assertThat(counter.countOf(A)).isEqualTo(7);
    assertThat(counter.countOf(C)).isZero();
    assertThat(GCounter.empty().value()).isZero();
  }

  @Test
  @DisplayName("the delta of an increment holds the replica's new total and catches up a replica that saw the old one")
  void deltaHoldsTheNewTotal() {
    GCounter before = counted(GCounter.empty(), A, 2);
    Update<GCounter> update = before.increment(A, 3);

    assertThat(update.delta().counts()).isEqualTo(Map.of(A, 5L));
    assertThat(before.mergeDelta(update.delta())).isEqualTo(update.state());
    assertThat(update.state().mergeDelta(before)).as("an older state arriving late changes nothing")
        .isEqualTo(update.state());
  }

  @Test
  @DisplayName("incrementing by zero changes nothing; a negative amount, overflow or a missing replica fail loudly")
  void incrementPreconditions() {
    GCounter counter = counted(GCounter.empty(), A, Long.MAX_VALUE - 1);

    assertThat(counter.increment(A, 0).state()).isSameAs(counter);
    assertThat(counter.increment(A, 0).delta().isEmpty()).isTrue();
    assertThatThrownBy(() -> counter.increment(A, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.increment(A, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counter.increment(null, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("merge takes the higher count per replica, the same both ways")
  void mergeBothWays() {
    GCounter left = counted(counted(GCounter.empty(), A, 3), B, 1);
    GCounter right = counted(counted(GCounter.empty(), A, 1), B, 4);

    GCounter leftFirst = left.merge(right);
    GCounter rightFirst = right.merge(left);

    assertThat(leftFirst).isEqualTo(rightFirst);
    assertThat(leftFirst.counts()).isEqualTo(Map.of(A, 3L, B, 4L));
    assertThat(leftFirst.value()).isEqualTo(7);
    assertThat(leftFirst.merge(leftFirst)).isEqualTo(leftFirst);
  }

  @Test
  @DisplayName("three replicas merged in all six orders reach the same counter with every increment counted once")
  void allSixOrders() {
    GCounter a = counted(GCounter.empty(), A, 1);
    GCounter b = counted(a, B, 2);
    GCounter c = counted(counted(GCounter.empty(), C, 4), A, 1);
    List<List<GCounter>> orders = List.of(List.of(a, b, c), List.of(a, c, b), List.of(b, a, c),
        List.of(b, c, a), List.of(c, a, b), List.of(c, b, a));

    for (List<GCounter> order : orders) {
      GCounter merged = order.get(0).merge(order.get(1)).merge(order.get(2));
      assertThat(merged.value()).isEqualTo(7);
      assertThat(merged).isEqualTo(a.merge(b).merge(c));
    }
  }

  @Test
  @DisplayName("pruning a replica keeps the value and stops that replica from counting")
  void pruneKeepsTheValue() {
    GCounter counter = counted(counted(GCounter.empty(), A, 3), B, 4);

    Update<GCounter> pruned = counter.prune(B);

    assertThat(pruned.state().value()).isEqualTo(7);
    assertThat(pruned.state().isRetired(B)).isTrue();
    assertThat(pruned.state().retiredReplicas()).containsExactly(B);
    assertThat(pruned.delta()).isEqualTo(GCounter.of(Map.of(B, 4L), Set.of(B)));
    assertThat(pruned.state().prune(B).state()).as("pruning again changes nothing").isEqualTo(pruned.state());
    assertThatThrownBy(() -> pruned.state().increment(B, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(counted(pruned.state(), A, 1).value()).isEqualTo(8);
  }

  @Test
  @DisplayName("survivors that prune on their own, having seen different counts of the removed replica, count it once")
  void survivorsPruneIndependently() {
    GCounter removedEarly = counted(GCounter.empty(), C, 2);
    GCounter removedFinal = counted(removedEarly, C, 3);
    GCounter survivorA = counted(removedEarly, A, 1).prune(C).state();
    GCounter survivorB = counted(removedFinal, B, 10).prune(C).state();

    assertThat(survivorA.merge(survivorB).value()).isEqualTo(1 + 10 + 5);
    assertThat(survivorB.merge(survivorA)).isEqualTo(survivorA.merge(survivorB));
  }

  @Test
  @DisplayName("a late entry of a pruned replica raises it to its true total, in either merge order, never twice")
  void lateEntryOfAPrunedReplica() {
    GCounter zombie = counted(GCounter.empty(), C, 5);
    GCounter survivor = counted(counted(GCounter.empty(), C, 2), A, 1).prune(C).state();
    GCounter notYetPruned = counted(zombie, B, 1);

    assertThat(survivor.merge(zombie).value()).isEqualTo(1 + 5);
    assertThat(zombie.merge(survivor).value()).isEqualTo(1 + 5);
    assertThat(survivor.merge(notYetPruned).merge(zombie).value()).isEqualTo(1 + 1 + 5);
    assertThat(notYetPruned.merge(survivor).isRetired(C)).isTrue();
  }

  @Test
  @DisplayName("missingFor holds exactly what the remote lacks, and nothing when the remote is ahead")
  void missingFor() {
    GCounter ahead = counted(counted(counted(GCounter.empty(), A, 3), B, 1), C, 2).prune(C).state();
    GCounter behind = counted(counted(GCounter.empty(), A, 1), B, 6);

    GCounter missing = ahead.missingFor(behind);

    assertThat(missing).isEqualTo(GCounter.of(Map.of(A, 3L, C, 2L), Set.of(C)));
    assertThat(behind.merge(missing)).isEqualTo(behind.merge(ahead));
    assertThat(behind.merge(ahead).missingFor(behind.merge(ahead)).isEmpty()).isTrue();
  }

  @Test
  @DisplayName("the value saturates instead of overflowing when hostile peers claim huge counts")
  void valueSaturates() {
    GCounter huge = GCounter.of(Map.of(A, Long.MAX_VALUE - 1, B, Long.MAX_VALUE - 1), Set.of());

    assertThat(huge.value()).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> GCounter.of(Map.of(A, 0L), Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
