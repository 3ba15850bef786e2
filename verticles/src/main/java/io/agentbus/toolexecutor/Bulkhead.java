package io.agentbus.toolexecutor;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code permits} calls of one tool at once; up to {@code maxQueue} more wait, first come first served, for
 * at most their remaining time. Used from the executor's context only (not thread-safe).
 */
final class Bulkhead {

  private final Vertx vertx;
  private final String tool;
  private final int permits;
  private final int maxQueue;
  private final Deque<Promise<Void>> waiting = new ArrayDeque<>();
  private int used;

  Bulkhead(Vertx vertx, String tool, int permits, int maxQueue) {
    this.vertx = vertx;
    this.tool = tool;
    this.permits = permits;
    this.maxQueue = maxQueue;
  }

  /**
   * Completes when a slot is taken (then {@link #release()} must follow exactly once); fails with
   * {@link ErrorCode#TOOL_BUSY} when the queue is full or no slot frees up within {@code maxWaitMs}.
   */
  Future<Void> acquire(long maxWaitMs) {
    if (used < permits) {
      used++;
      return Future.succeededFuture();
    }
    if (waiting.size() >= maxQueue) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_BUSY,
          "tool " + tool + " runs " + permits + " calls and " + maxQueue + " more wait"));
    }
    Promise<Void> slot = Promise.promise();
    waiting.addLast(slot);
    long timer = vertx.setTimer(Math.max(1, maxWaitMs), id -> {
      if (waiting.remove(slot)) {
        slot.fail(new AgentbusException(ErrorCode.TOOL_BUSY,
            "tool " + tool + " had no free slot (of " + permits + ") within " + maxWaitMs + " ms"));
      }
    });
    return slot.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  void release() {
    Promise<Void> next = waiting.pollFirst();
    if (next != null) {
      next.complete();
    } else {
      used--;
    }
  }

  int inUse() {
    return used;
  }

  int queued() {
    return waiting.size();
  }

  int permits() {
    return permits;
  }
}
