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

  /**
   * Wraps a consumer so that an unexpected exception fails the message with {@link ErrorCode#INTERNAL} instead of
   * leaving the sender waiting for a timeout.
   */
  public static <T> io.vertx.core.Handler<Message<T>> guard(io.vertx.core.Handler<Message<T>> handler) {
    return msg -> {
      try {
        handler.handle(msg);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Failures.class).error("handler of {} failed", msg.address(), e);
        if (msg.replyAddress() != null) {
          msg.fail(ErrorCode.INTERNAL.code(), "internal error: " + e);
        }
      }
    };
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
        return new AgentbusException(ErrorCode.UNAVAILABLE, re.getMessage());
      }
      return new AgentbusException(ErrorCode.of(re.failureCode()), re.getMessage());
    }
    return new AgentbusException(ErrorCode.INTERNAL, String.valueOf(t));
  }
}
