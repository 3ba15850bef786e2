package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  @DisplayName("An offset is committable only once every earlier record of its partition is done")
  void commitsOnlyContiguousPrefixes() {
    OffsetTracker<String> t = new OffsetTracker<>();
    for (long o = 10; o < 15; o++) {
      t.started("p", o);
    }
    t.done("p", 11);
    t.done("p", 12);
    assertThat(t.committable()).as("10 still runs").containsExactlyEntriesOf(Map.of("p", 10L));

    t.done("p", 10);
    assertThat(t.committable()).containsExactlyEntriesOf(Map.of("p", 13L));
    t.committed("p", 13);
    assertThat(t.committable()).as("nothing new").isEmpty();

    t.done("p", 14);
    assertThat(t.committable()).as("13 still runs").isEmpty();
    t.done("p", 13);
    assertThat(t.committable()).containsExactlyEntriesOf(Map.of("p", 15L));
    assertThat(t.inFlight()).isZero();
  }

  @Test
  @DisplayName("Partitions are independent; a revoked partition is forgotten and its late completions ignored")
  void partitionsAndRevocation() {
    OffsetTracker<String> t = new OffsetTracker<>();
    t.started("a", 0);
    t.started("b", 5);
    t.done("b", 5);
    assertThat(t.committable()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0L, "b", 6L));

    t.forget(List.of("a"));
    t.done("a", 0);
    assertThat(t.committable()).containsExactlyEntriesOf(Map.of("b", 6L));
    assertThat(t.inFlight()).isZero();
  }
}
