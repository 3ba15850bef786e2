package io.agentbus.launcher;

import io.agentbus.api.TaskState;
import java.util.Locale;

/** The exit codes of the client commands, one meaning each, so scripts can branch on them. */
public final class ExitCodes {

  /** The command did what was asked; for a task, it SUCCEEDED. */
  public static final int OK = 0;
  /** The task ended FAILED, CANCELLED, TIMED_OUT or COMPENSATED, or a benchmark saw errors. */
  public static final int TASK_UNSUCCESSFUL = 1;
  /** The request could not be made or was refused (bad option, unreachable server, problem response). */
  public static final int REQUEST_ERROR = 2;
  /** The task was still running when the wait ran out. */
  public static final int NOT_FINISHED = 3;

  private ExitCodes() {
  }

  /** The exit code for a task last seen in {@code state} (a TaskState name). */
  public static int ofTaskState(String state) {
    TaskState parsed;
    try {
      parsed = TaskState.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return REQUEST_ERROR;
    }
    if (parsed == TaskState.SUCCEEDED) {
      return OK;
    }
    return parsed.isTerminal() ? TASK_UNSUCCESSFUL : NOT_FINISHED;
  }
}
