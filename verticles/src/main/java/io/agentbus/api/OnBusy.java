package io.agentbus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a submit to a session asks for when another task of that session is running: wait behind it (the default),
 * be refused with {@link ErrorCode#SESSION_BUSY}, or cancel it (reason {@value #INTERRUPT_REASON}) and run next.
 */
public enum OnBusy {
  ENQUEUE, REJECT, INTERRUPT;

  /** The cancel reason of a task interrupted by a newer task of its session. */
  public static final String INTERRUPT_REASON = "session-interrupted";

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a name that is not a policy */
  @JsonCreator
  public static OnBusy ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
