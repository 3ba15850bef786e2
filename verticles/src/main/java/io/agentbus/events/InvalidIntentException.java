package io.agentbus.events;

/** A record of the intent topic that cannot be run: not a CloudEvent, not an intent, or an intent without identity. */
public final class InvalidIntentException extends RuntimeException {

  private final String reason;

  /**
   * @param reason a short stable tag for metrics and the dead-letter record: {@code not-a-cloudevent},
   *               {@code wrong-type}, {@code missing-id}, {@code missing-source}, {@code invalid-data},
   *               {@code unknown-tool}
   */
  public InvalidIntentException(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
