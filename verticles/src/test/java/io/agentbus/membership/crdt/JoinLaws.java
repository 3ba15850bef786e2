package io.agentbus.membership.crdt;

import static org.assertj.core.api.Assertions.assertThat;

/** The semilattice laws every merge must obey, asserted on concrete states. */
final class JoinLaws {

  private JoinLaws() {
  }

  static <T extends Crdt<T>> void assertHold(T a, T b, T c) {
    assertThat(a.merge(b)).as("commutative").isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).as("associative").isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).as("idempotent").isEqualTo(a);
    assertThat(a.merge(b).merge(b)).as("merging again changes nothing").isEqualTo(a.merge(b));
  }
}
