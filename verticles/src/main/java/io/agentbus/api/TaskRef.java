package io.agentbus.api;

/**
 * Names one task.
 *
 * @param waitMs when positive, the reply waits up to this long for the task to finish
 */
public record TaskRef(String taskId, long waitMs) {

  public static TaskRef of(String taskId) {
    return new TaskRef(taskId, 0);
  }
}
