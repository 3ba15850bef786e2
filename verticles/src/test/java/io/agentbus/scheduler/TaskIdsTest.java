package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

  @Test
  @DisplayName("task ids are unique, well formed, and sort by creation time")
  void uniqueAndSortable() throws InterruptedException {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = TaskIds.next();
      assertThat(id).matches("tsk_[0-9a-hjkmnp-tv-z]{24}");
      ids.add(id);
    }
    assertThat(ids).hasSize(100_000);
    String earlier = TaskIds.next();
    Thread.sleep(2);
    assertThat(TaskIds.next().compareTo(earlier)).isPositive();
  }

  @Test
  @DisplayName("a task id names the node that accepted it")
  void acceptedBy() {
    String id = TaskIds.next("node-7_b");
    assertThat(id).matches("tsk_[0-9a-hjkmnp-tv-z]{24}_node-7_b");
    assertThat(TaskIds.acceptedBy(id)).isEqualTo("node-7_b");
    assertThat(TaskIds.wellFormed(id)).isTrue();
    assertThat(TaskIds.acceptedBy("tsk_0123456789abcdefghjkmnpq")).isNull();
    assertThat(TaskIds.acceptedBy("short_x")).isNull();
  }

  @Test
  @DisplayName("ids that cannot be task ids are told apart before any lookup")
  void wellFormed() {
    assertThat(TaskIds.wellFormed(TaskIds.next())).isTrue();
    assertThat(TaskIds.wellFormed("../etc/passwd")).isFalse();
    assertThat(TaskIds.wellFormed("a.b")).isFalse();
    assertThat(TaskIds.wellFormed("x".repeat(129))).isFalse();
    assertThat(TaskIds.wellFormed(null)).isFalse();
  }
}
