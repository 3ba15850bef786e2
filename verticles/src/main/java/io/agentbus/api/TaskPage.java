package io.agentbus.api;

import java.util.List;

/** Tasks answering a {@link TaskQuery}, newest first. */
public record TaskPage(List<TaskView> tasks) {

  public TaskPage {
    tasks = List.copyOf(tasks);
  }
}
