package io.agentbus.testing;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: on futures and on conditions, never a sleep-and-hope. */
public final class Await {

  private Await() {
  }

  public static <T> T result(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The failure code of a future that must fail. */
  public static ErrorCode failure(Future<?> future) throws Exception {
    try {
      Object value = result(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (AgentbusException | io.vertx.core.eventbus.ReplyException e) {
      return Failures.toException(e).code();
    }
  }

  public static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }
}
