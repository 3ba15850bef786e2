package io.agentbus.api;

import java.util.List;

/** Events of one task in sequence order; {@code terminal} says the last of them ends the task. */
public record TaskEventBatch(String taskId, List<TaskEvent> events, boolean terminal) {

  public TaskEventBatch {
    events = List.copyOf(events);
  }
}
