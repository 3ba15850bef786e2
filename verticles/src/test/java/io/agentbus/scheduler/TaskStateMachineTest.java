package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbus.api.TaskState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateMachineTest {

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "COMPENSATED"})
  @DisplayName("a terminal state has no way out, so a task ends exactly once")
  void terminalStatesAreFinal(TaskState terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (TaskState next : TaskState.values()) {
      assertThat(TaskStateMachine.canMove(terminal, next)).as(terminal + " -> " + next).isFalse();
    }
  }

  @Test
  @DisplayName("the happy path of DESIGN.md is allowed step by step")
  void happyPath() {
    TaskState s = TaskState.SUBMITTED;
    s = TaskStateMachine.move(s, TaskState.ASSIGNED);
    s = TaskStateMachine.move(s, TaskState.RUNNING);
    s = TaskStateMachine.move(s, TaskState.INPUT_REQUIRED);
    s = TaskStateMachine.move(s, TaskState.RUNNING);
    assertThat(TaskStateMachine.move(s, TaskState.SUCCEEDED)).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  @DisplayName("only a running task can succeed; any live task can fail, be cancelled or time out")
  void whoMayEndHow() {
    for (TaskState s : TaskState.values()) {
      if (s.isTerminal()) {
        continue;
      }
      assertThat(TaskStateMachine.canMove(s, TaskState.SUCCEEDED)).as(s + " -> SUCCEEDED")
          .isEqualTo(s == TaskState.RUNNING);
      assertThat(TaskStateMachine.canMove(s, TaskState.CANCELLED)).as(s + " -> CANCELLED").isTrue();
      assertThat(TaskStateMachine.canMove(s, TaskState.TIMED_OUT)).as(s + " -> TIMED_OUT").isTrue();
      assertThat(TaskStateMachine.canMove(s, TaskState.FAILED)).as(s + " -> FAILED").isTrue();
    }
  }

  @Test
  @DisplayName("a lost attempt, or a task taken over from a lost node, goes back to SUBMITTED; none skips assignment")
  void requeueAndNoSkipping() {
    assertThat(TaskStateMachine.canMove(TaskState.ASSIGNED, TaskState.SUBMITTED)).isTrue();
    assertThat(TaskStateMachine.canMove(TaskState.RUNNING, TaskState.SUBMITTED)).isTrue();
    assertThat(TaskStateMachine.canMove(TaskState.INPUT_REQUIRED, TaskState.SUBMITTED)).isTrue();
    assertThat(TaskStateMachine.canMove(TaskState.SUBMITTED, TaskState.SUBMITTED)).isTrue();
    assertThat(TaskStateMachine.canMove(TaskState.SUBMITTED, TaskState.RUNNING)).isFalse();
    assertThat(TaskStateMachine.canMove(TaskState.COMPENSATING, TaskState.SUBMITTED))
        .as("a saga's lost attempt is requeued and replayed").isTrue();
    assertThatThrownBy(() -> TaskStateMachine.move(TaskState.SUBMITTED, TaskState.RUNNING))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("SUBMITTED to RUNNING");
  }

  @Test
  @DisplayName("sagas: only a running task starts compensating; compensating ends compensated or failed, or is requeued")
  void sagaStates() {
    assertThat(TaskStateMachine.canMove(TaskState.RUNNING, TaskState.COMPENSATING)).isTrue();
    assertThat(TaskStateMachine.canMove(TaskState.SUBMITTED, TaskState.COMPENSATING)).isFalse();
    Set<TaskState> after = TaskStateMachine.next(TaskState.COMPENSATING);
    assertThat(after).isEqualTo(EnumSet.of(TaskState.COMPENSATED, TaskState.FAILED, TaskState.CANCELLED,
        TaskState.TIMED_OUT, TaskState.SUBMITTED));
  }
}
