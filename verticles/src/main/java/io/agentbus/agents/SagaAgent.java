package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolOutcome;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a saga: a plan of tool calls, each with an optional compensating call. Steps run in order; when step k fails,
 * the task moves to COMPENSATING and the compensations of steps k-1..1 run in reverse order, and the task ends
 * COMPENSATED, or FAILED ({@code compensation-failed}) when a compensation fails.
 *
 * <p>Every call has a fixed id within the task, {@code step-<i>} and {@code compensate-<i>}, so the tool-executor's
 * idempotency ledger runs each at most once for the task, whatever happens to this agent or its node: an attempt that
 * is lost (node killed, agent gone) is dispatched again and replays the plan from the start, and every call already
 * made gets its recorded outcome instead of running again, so the replay takes the same path and only the calls that
 * never ran are made. The progress of a saga is therefore durable where the calls are: each intent in
 * {@code agent.intent}, each outcome in {@code agent.observation} and the ledger, the COMPENSATING transition and the
 * terminal state in {@code agentbus.tasks}.
 *
 * <p>A step whose outcome leaves its effect in doubt ({@code tool-timeout}, {@code tool-in-doubt}) may have taken
 * effect: its own compensation runs first, then k-1..1.
 */
public final class SagaAgent extends AgentVerticle {

  public static final String TYPE = "saga";
  static final int MAX_STEPS = 32;
  static final String INVALID_PLAN = "invalid-saga-plan";
  static final String COMPENSATION_FAILED = "compensation-failed";

  public SagaAgent(String id, String nodeId, int capacity) {
    super(id, Set.of(TYPE), capacity, Map.of("builtin", "true"), nodeId);
  }

  record Call(String tool, JsonNode arguments) {
  }

  record Step(int number, String name, Call action, Call compensation) {
  }

  @Override
  protected void run(AgentTask task) {
    List<Step> steps;
    try {
      steps = SagaPlan.parse(task.input(), MAX_STEPS);
    } catch (IllegalArgumentException e) {
      task.fail(INVALID_PLAN, e.getMessage());
      return;
    }
    task.progress("saga", 0, "running a plan of " + steps.size() + " steps");
    forward(task, steps, 0, Json.MAPPER.createArrayNode());
  }

  private void forward(AgentTask task, List<Step> steps, int index, ArrayNode results) {
    if (task.stopped()) {
      return;
    }
    if (index == steps.size()) {
      task.complete(Json.object().set("steps", results));
      return;
    }
    Step step = steps.get(index);
    call(task, "step-" + step.number(), step.action()).onSuccess(outcome -> {
      if (outcome.ok()) {
        results.add(Json.object().put("step", step.number()).put("name", step.name()).put("tool", step.action().tool())
            .set("result", outcome.result()));
        task.progress("step-" + step.number(), percent(index + 1, steps.size()),
            "step " + step.number() + " (" + step.name() + ") done");
        forward(task, steps, index + 1, results);
      } else {
        compensate(task, steps, step, outcome);
      }
    });
  }

  private void compensate(AgentTask task, List<Step> steps, Step failed, ToolOutcome failure) {
    boolean inDoubt = failure.error() != null && (ErrorCode.TOOL_TIMEOUT.slug().equals(failure.error().code())
        || ErrorCode.TOOL_IN_DOUBT.slug().equals(failure.error().code()));
    int from = inDoubt ? failed.number() : failed.number() - 1;
    ObjectNode data = Json.object().put("failed_step", failed.number()).put("step_name", failed.name())
        .put("undo_from", from);
    data.set("error", Json.tree(failure.error()));
    task.compensating(data).onComplete(recorded -> {
      if (recorded.failed()) {
        if (!task.stopped()) {
          task.fail(ErrorCode.TOOL_FAILED.slug(), "step " + failed.number() + " failed and the saga could not start"
              + " compensating: " + recorded.cause().getMessage());
        }
        return;
      }
      backward(task, steps, from, data, Json.MAPPER.createArrayNode(), Json.MAPPER.createArrayNode());
    });
  }

  private void backward(AgentTask task, List<Step> steps, int number, ObjectNode summary, ArrayNode compensated,
                        ArrayNode uncompensable) {
    if (task.stopped()) {
      return;
    }
    if (number == 0) {
      summary.set("compensated", compensated);
      summary.set("without_compensation", uncompensable);
      task.compensated(summary);
      return;
    }
    Step step = steps.get(number - 1);
    if (step.compensation() == null) {
      uncompensable.add(number);
      backward(task, steps, number - 1, summary, compensated, uncompensable);
      return;
    }
    call(task, "compensate-" + number, step.compensation()).onSuccess(outcome -> {
      if (outcome.ok()) {
        compensated.add(number);
        task.progress("compensate-" + number, percent(summary.path("undo_from").asInt() - number + 1,
            summary.path("undo_from").asInt()), "step " + number + " (" + step.name() + ") compensated");
        backward(task, steps, number - 1, summary, compensated, uncompensable);
      } else {
        task.fail(COMPENSATION_FAILED, "step " + summary.path("failed_step").asInt() + " ("
            + summary.path("step_name").asText() + ") failed with " + summary.at("/error/code").asText()
            + "; compensating step " + number + " (" + step.name() + ") then failed with "
            + outcome.error().code() + ": " + outcome.error().message() + "; compensated before it: " + compensated
            + "; not compensated: steps " + number + "..1");
      }
    });
  }

  // the outcome of a call; a stopped task's call fails and ends the chain
  private static Future<ToolOutcome> call(AgentTask task, String callId, Call call) {
    return task.callTool(callId, call.tool(), call.arguments()).onFailure(err -> {
      if (!task.stopped()) {
        task.fail(ErrorCode.TOOL_FAILED.slug(), "call " + callId + " could not be made: " + err.getMessage());
      }
    });
  }

  private static int percent(int done, int of) {
    return of == 0 ? 100 : Math.min(100, done * 100 / of);
  }
}
