package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Returns its input after a few progress events. Deterministic, for demos, tests and benchmarks. An object input
 * may steer it: {@code delay_ms} (0 to 3,600,000) waits before the result, {@code fail: {code, message}} fails the
 * task instead of returning.
 */
public final class EchoAgent extends AgentVerticle {

  public static final String TYPE = "echo";
  private static final long MAX_DELAY_MS = 3_600_000;

  private final int steps;
  private final long stepDelayMs;

  public EchoAgent(String id, String nodeId, int capacity, int steps, long stepDelayMs) {
    super(id, Set.of(TYPE), capacity, Map.of("builtin", "true"), nodeId);
    this.steps = steps;
    this.stepDelayMs = stepDelayMs;
  }

  @Override
  protected void run(AgentTask task) {
    step(task, 1);
  }

  private void step(AgentTask task, int n) {
    if (n > steps) {
      finish(task);
      return;
    }
    task.timer(stepDelayMs, () -> {
      task.progress("echo", 100 * n / steps, "step " + n + " of " + steps);
      step(task, n + 1);
    });
  }

  private void finish(AgentTask task) {
    JsonNode input = task.input();
    long delay = input != null && input.isObject() ? input.path("delay_ms").asLong(0) : 0;
    delay = Math.max(0, Math.min(delay, MAX_DELAY_MS));
    task.timer(delay, () -> {
      JsonNode fail = input != null && input.isObject() ? input.get("fail") : null;
      if (fail != null && fail.isObject()) {
        task.fail(fail.path("code").asText("echo-failure"), fail.path("message").asText("failed as asked"));
      } else {
        task.complete(input);
      }
    });
  }
}
