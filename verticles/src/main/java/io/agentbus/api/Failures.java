package io.agentbus.api;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Event-bus failures in agentbus terms. A handler fails a message with {@link #fail(Message, AgentbusException)};
 * a caller turns any failure back into an {@link AgentbusException} with {@link #toException(Throwable)}.
 */
public final class Failures {

  private Failures() {
  }

  public static void fail(Message<?> message, AgentbusException e) {
    message.fail(e.code().code(), e.getMessage());
  }

  public static void fail(Message<?> message, Throwable t) {
    fail(message, toException(t));
  }

  /** Maps reply failures (timeouts, no handlers, recipient failures) and agentbus exceptions to one type. */
  public static AgentbusException toException(Throwable t) {
    if (t instanceof AgentbusException e) {
      return e;
    }
    if (t instanceof ReplyException re) {
      ReplyFailure type = re.failureType();
      if (type == ReplyFailure.TIMEOUT) {
        return new AgentbusException(ErrorCode.UPSTREAM_TIMEOUT, re.getMessage());
      }
      if (type == ReplyFailure.NO_HANDLERS) {
        return new AgentbusException(ErrorCode.UNAVAILABLE, "no handler for " + re.getMessage());
      }
      return new AgentbusException(ErrorCode.of(re.failureCode()), re.getMessage());
    }
    return new AgentbusException(ErrorCode.INTERNAL, String.valueOf(t));
  }
}
