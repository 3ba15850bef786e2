package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecoveryMarksTest {

  @Test
  @DisplayName("with no live task, a partition's mark is past everything seen there (or the end at start)")
  void idleMarks() {
    RecoveryMarks marks = new RecoveryMarks();
    marks.start(Map.of(0, 100L, 1, 7L));
    assertThat(marks.marks()).containsEntry(0, 100L).containsEntry(1, 7L);
    marks.seen(0, 150);
    marks.seen(0, 120);
    assertThat(marks.marks()).containsEntry(0, 151L);
  }

  @Test
  @DisplayName("a live task holds its partition's mark at its anchor until it ends; the oldest live task wins")
  void liveTasksHoldTheMark() {
    RecoveryMarks marks = new RecoveryMarks();
    marks.start(Map.of(0, 0L));
    marks.anchor("a", 0, 10);
    marks.anchor("b", 0, 12);
    marks.seen(0, 30);
    assertThat(marks.marks()).containsEntry(0, 10L);
    marks.release("a");
    assertThat(marks.marks()).containsEntry(0, 12L);
    marks.release("b");
    assertThat(marks.marks()).containsEntry(0, 31L);
    marks.release("b");
    assertThat(marks.marks()).containsEntry(0, 31L);
  }

  @Test
  @DisplayName("two tasks anchored at the same offset both hold it")
  void sharedOffset() {
    RecoveryMarks marks = new RecoveryMarks();
    marks.start(Map.of(3, 0L));
    marks.anchor("a", 3, 5);
    marks.anchor("b", 3, 5);
    marks.release("a");
    assertThat(marks.marks()).containsEntry(3, 5L);
    marks.release("b");
    assertThat(marks.marks()).containsEntry(3, 6L);
  }

  @Test
  @DisplayName("a hold keeps the marks of given-up tasks after they left, until it is released")
  void holdKeepsGivenUpTasks() {
    RecoveryMarks marks = new RecoveryMarks();
    marks.start(Map.of(0, 0L, 1, 0L));
    marks.anchor("a", 0, 10);
    marks.seen(1, 40);
    marks.hold(marks.marks());
    marks.release("a");
    marks.seen(0, 50);
    assertThat(marks.marks()).containsEntry(0, 10L).containsEntry(1, 41L);
    assertThat(marks.held()).containsEntry(0, 10L);
    marks.releaseHold();
    assertThat(marks.marks()).containsEntry(0, 51L);
    assertThat(marks.held()).isEmpty();
  }
}
