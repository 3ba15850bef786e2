package io.agentbus.testing;

import io.agentbus.agents.AgentTask;
import io.agentbus.agents.AgentVerticle;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An agent a test drives by hand: every task it is given waits in {@link #next} until the test reports on it with
 * {@link #onAgent}, which runs on the agent's own event loop.
 */
public final class ManualAgent extends AgentVerticle {

  private final BlockingQueue<AgentTask> received = new LinkedBlockingQueue<>();

  public ManualAgent(String id, String type, int capacity, String nodeId) {
    super(id, Set.of(type), capacity, Map.of("test", "true"), nodeId);
  }

  @Override
  protected void run(AgentTask task) {
    received.add(task);
  }

  /** The next task given to this agent, waiting up to {@code seconds}. */
  public AgentTask next(long seconds) throws InterruptedException {
    AgentTask task = received.poll(seconds, TimeUnit.SECONDS);
    if (task == null) {
      throw new AssertionError(descriptor().id() + " got no task within " + seconds + " s");
    }
    return task;
  }

  /** Asserts that no task arrives within {@code millis}. */
  public void assertNothingWithin(long millis) throws InterruptedException {
    AgentTask task = received.poll(millis, TimeUnit.MILLISECONDS);
    if (task != null) {
      throw new AssertionError(descriptor().id() + " unexpectedly got task " + task.taskId());
    }
  }

  /** Runs {@code action} with {@code task} on this agent's event loop. */
  public void onAgent(AgentTask task, Consumer<AgentTask> action) {
    context.runOnContext(v -> action.accept(task));
  }
}
