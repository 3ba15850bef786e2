package io.agentbus.api;

/** A failure with an {@link ErrorCode}; the message is the human-readable detail. */
public class AgentbusException extends RuntimeException {

  private final ErrorCode code;

  public AgentbusException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
