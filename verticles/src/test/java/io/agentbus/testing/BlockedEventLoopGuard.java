package io.agentbus.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Makes a blocked event loop fail a test: Vert.x only logs blocked threads, so this records every event loop busy
 * longer than {@link #MAX_EVENT_LOOP_MS} and {@link #assertNoneBlocked()} turns them into a failure.
 */
public final class BlockedEventLoopGuard {

  /** Low on purpose: a test that blocks an event loop this long fails. */
  public static final long MAX_EVENT_LOOP_MS = 200;

  private final List<String> blocked = new CopyOnWriteArrayList<>();

  /** Options for a test Vert.x: a low max event-loop execute time checked often. */
  public static VertxOptions options() {
    return new VertxOptions()
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  /** Starts recording blocked event loops of {@code vertx}. */
  public static BlockedEventLoopGuard install(Vertx vertx) {
    BlockedEventLoopGuard guard = new BlockedEventLoopGuard();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        StringBuilder where = new StringBuilder();
        StackTraceElement[] stack = event.thread().getStackTrace();
        for (int i = 0; i < Math.min(25, stack.length); i++) {
          where.append("\n    at ").append(stack[i]);
        }
        guard.blocked.add(event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms" + where);
      }
    });
    return guard;
  }

  public void assertNoneBlocked() {
    if (!blocked.isEmpty()) {
      throw new AssertionError("event loop blocked: " + blocked);
    }
  }
}
