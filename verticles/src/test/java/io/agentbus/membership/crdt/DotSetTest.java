package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DotSetTest {

  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");
  private static final ReplicaId C = ReplicaId.of("c");

  private static Dot dot(ReplicaId replica, long counter) {
    return new Dot(replica, counter);
  }

  @Test
  @DisplayName("contiguous dots from 1 form the version vector; dots past a gap stay in the set as the cloud")
  void versionVectorAndCloud() {
    DotSet dots = DotSet.of(dot(A, 1), dot(A, 2), dot(A, 4), dot(B, 2));

    assertThat(dots.versionVector()).isEqualTo(Map.of(A, 2L));
    assertThat(dots.contains(dot(A, 4))).isTrue();
    assertThat(dots.contains(dot(A, 3))).isFalse();
    assertThat(dots.contains(dot(B, 2))).isTrue();
    assertThat(dots.contains(dot(B, 1))).isFalse();
    assertThat(dots.maxCounter(A)).isEqualTo(4);
    assertThat(dots.maxCounter(C)).isZero();
    assertThat(dots.replicas()).containsExactly(A, B);
  }

  @Test
  @DisplayName("a dot that fills a gap compacts the cloud into the version vector")
  void fillingAGapCompacts() {
    DotSet dots = DotSet.of(dot(A, 1), dot(A, 3)).plus(dot(A, 2));

    assertThat(dots.versionVector()).isEqualTo(Map.of(A, 3L));
    assertThat(dots).isEqualTo(DotSet.of(dot(A, 3), dot(A, 2), dot(A, 1)));
    assertThat(dots.rangesOf(A).rangeCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("minus and intersect work range by range")
  void minusAndIntersect() {
    DotSet left = DotSet.of(dot(A, 1), dot(A, 2), dot(A, 3), dot(A, 4), dot(B, 1));
    DotSet right = DotSet.of(dot(A, 2), dot(A, 3), dot(C, 1));

    assertThat(left.minus(right)).isEqualTo(DotSet.of(dot(A, 1), dot(A, 4), dot(B, 1)));
    assertThat(left.intersect(right)).isEqualTo(DotSet.of(dot(A, 2), dot(A, 3)));
    assertThat(left.containsAll(left.intersect(right))).isTrue();
    assertThat(left.containsAll(right)).isFalse();
  }

  @Test
  @DisplayName("every dot of a replica is one range that holds the largest counter")
  void everyDotOfAReplica() {
    DotSet retired = DotSet.everyDotOf(A);

    assertThat(retired.contains(dot(A, Long.MAX_VALUE))).isTrue();
    assertThat(retired.containsEveryDotOf(A)).isTrue();
    assertThat(retired.plus(dot(A, 7))).isEqualTo(retired);
    assertThat(retired.minus(DotSet.of(dot(A, 1))).containsEveryDotOf(A)).isFalse();
    assertThat(retired.versionVector()).isEqualTo(Map.of(A, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("dot ranges must be sorted, disjoint and not adjacent")
  void rangeBoundsAreChecked() {
    for (long[] invalid : List.of(new long[] {1, 2, 3, 4}, new long[] {0, 2}, new long[] {5, 4}, new long[] {1})) {
      assertThatThrownBy(() -> DotRanges.fromBounds(invalid)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(DotRanges.fromBounds(new long[] {1, 2, 4, 4}).contains(4)).isTrue();
  }

  @Test
  @DisplayName("a dot counter starts at 1 and a dot needs a replica")
  void dotPreconditions() {
    assertThatThrownBy(() -> dot(A, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dot(null, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 300)
  @Label("union, minus, intersect and contains agree with a plain set of dots")
  void agreesWithAPlainSet(@ForAll("dots") List<Dot> left, @ForAll("dots") List<Dot> right) {
    DotSet leftSet = DotSet.of(left);
    DotSet rightSet = DotSet.of(right);
    TreeSet<Dot> union = new TreeSet<>(left);
    union.addAll(right);
    TreeSet<Dot> minus = new TreeSet<>(left);
    minus.removeAll(right);
    TreeSet<Dot> intersect = new TreeSet<>(left);
    intersect.retainAll(right);

    assertThat(leftSet.union(rightSet)).isEqualTo(DotSet.of(union));
    assertThat(leftSet.minus(rightSet)).isEqualTo(DotSet.of(minus));
    assertThat(leftSet.intersect(rightSet)).isEqualTo(DotSet.of(intersect));
    assertThat(leftSet.containsAll(rightSet)).isEqualTo(new TreeSet<>(left).containsAll(right));
    for (Dot probe : allSmallDots()) {
      assertThat(leftSet.contains(probe)).isEqualTo(left.contains(probe));
    }
  }

  @Property(tries = 300)
  @Label("equal sets of dots have one representation, whatever the order they were built in")
  void canonical(@ForAll("dots") List<Dot> dots) {
    List<Dot> reversed = new ArrayList<>(dots);
    Collections.reverse(reversed);
    DotSet oneByOne = DotSet.empty();
    for (Dot dot : reversed) {
      oneByOne = oneByOne.plus(dot);
    }

    assertThat(oneByOne).isEqualTo(DotSet.of(dots));
    assertThat(oneByOne.hashCode()).isEqualTo(DotSet.of(dots).hashCode());
  }

  @Provide
  Arbitrary<List<Dot>> dots() {
    return Combinators.combine(Arbitraries.of(A, B, C), Arbitraries.longs().between(1, 12))
        .as(Dot::new).list().ofMaxSize(20);
  }

  private static List<Dot> allSmallDots() {
    List<Dot> all = new ArrayList<>();
    for (ReplicaId replica : List.of(A, B, C)) {
      for (long counter = 1; counter <= 13; counter++) {
        all.add(dot(replica, counter));
      }
    }
    return all;
  }
}
