package io.agentbus.toolexecutor;

import io.agentbus.api.ToolOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Callers on this node waiting for the observation of an intent, by intent key. The first observation to arrive
 * (over the event bus or from the observation topic) answers every caller waiting for that key; a caller that waits
 * past its bound gets the outcome its supplier makes. Used on the executor's context only.
 */
final class PendingCalls {

  private final Vertx vertx;
  private final Map<String, List<Promise<ToolOutcome>>> waiting = new HashMap<>();

  PendingCalls(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Waits for the key's observation at most {@code maxWaitMs}, then completes with {@code onTimeout}'s outcome. */
  Future<ToolOutcome> await(String key, long maxWaitMs, Supplier<ToolOutcome> onTimeout) {
    Promise<ToolOutcome> answer = Promise.promise();
    waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(answer);
    long timer = vertx.setTimer(Math.max(1, maxWaitMs), id -> {
      List<Promise<ToolOutcome>> list = waiting.get(key);
      if (list != null && list.remove(answer)) {
        if (list.isEmpty()) {
          waiting.remove(key);
        }
        answer.complete(onTimeout.get());
      }
    });
    return answer.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Answers every caller waiting for {@code key}; false if none was. */
  boolean complete(String key, ToolOutcome outcome) {
    List<Promise<ToolOutcome>> list = waiting.remove(key);
    if (list == null) {
      return false;
    }
    list.forEach(p -> p.tryComplete(outcome));
    return true;
  }

  int size() {
    return waiting.size();
  }
}
