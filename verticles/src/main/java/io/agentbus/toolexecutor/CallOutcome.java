package io.agentbus.toolexecutor;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.TaskError;

/** How a tool call ended, as the {@code outcome} tag of the calls counter. */
enum CallOutcome {
  OK("ok"),
  INVALID_ARGUMENTS("invalid_arguments"),
  TIMEOUT("timeout"),
  FAILED("failed"),
  DENIED("denied"),
  UNKNOWN_TOOL("unknown_tool"),
  CIRCUIT_OPEN("circuit_open"),
  BUSY("busy");

  private final String tag;

  CallOutcome(String tag) {
    this.tag = tag;
  }

  String tag() {
    return tag;
  }

  static CallOutcome of(TaskError error) {
    if (error == null) {
      return OK;
    }
    return switch (ErrorCode.ofSlug(error.code())) {
      case INVALID_TOOL_ARGUMENTS -> INVALID_ARGUMENTS;
      case TOOL_TIMEOUT -> TIMEOUT;
      case TOOL_DENIED -> DENIED;
      case UNKNOWN_TOOL -> UNKNOWN_TOOL;
      case TOOL_UNAVAILABLE -> CIRCUIT_OPEN;
      case TOOL_BUSY -> BUSY;
      default -> FAILED;
    };
  }
}
