package io.agentbus.api;

import java.util.List;

/**
 * Events of one task in sequence order; {@code terminal} says the last of them ends the task; {@code ownerNode} is
 * the node whose scheduler owns the task (and sends the live events).
 */
public record TaskEventBatch(String taskId, List<TaskEvent> events, boolean terminal, String ownerNode) {

  public TaskEventBatch {
    events = List.copyOf(events);
  }
}
