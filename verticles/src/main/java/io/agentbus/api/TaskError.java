package io.agentbus.api;

/** Why a task, a tool call or a request failed: an {@link ErrorCode} slug or an agent-defined code, and a message. */
public record TaskError(String code, String message) {

  public static TaskError of(ErrorCode code, String message) {
    return new TaskError(code.slug(), message);
  }
}
