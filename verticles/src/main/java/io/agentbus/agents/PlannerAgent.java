package io.agentbus.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic multi-step agent that exercises every kind of task event: it thinks (thought events), streams a
 * plan and a summary (content chunks), reports progress, and calls real tools through the tool-executor.
 *
 * <p>Input: {@code {goal: string, expression?: string, data?: any, query?: string, url?: string, sql?: string,
 * params?: array}}. It evaluates {@code expression} with {@code calculator} (default: one derived from the goal), runs
 * {@code query} over {@code data} with {@code json_query} (default: the number of plan steps), fetches {@code url}
 * with {@code http_fetch} and runs {@code sql} (with {@code params}) against the demo shop with {@code sql_query}
 * when given, and returns {@code {goal, plan, answers, summary}}. A failing tool fails the task with code
 * {@code tool-failed}.
 */
public final class PlannerAgent extends AgentVerticle {

  public static final String TYPE = "planner";

  private final long stepDelayMs;

  public PlannerAgent(String id, String nodeId, int capacity, long stepDelayMs) {
    super(id, Set.of(TYPE), capacity, Map.of("builtin", "true"), nodeId);
    this.stepDelayMs = stepDelayMs;
  }

  @Override
  protected void run(AgentTask task) {
    JsonNode input = task.input() == null ? Json.object() : task.input();
    String goal = input.path("goal").asText(input.isTextual() ? input.asText() : "an unnamed goal");
    List<Step> steps = plan(input, goal);
    task.thought("understand", "The goal is: " + goal);
    task.progress("plan", 10, "drafting a plan of " + steps.size() + " steps");
    StringBuilder planText = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      planText.append(i + 1).append(". ").append(steps.get(i).description).append('\n');
    }
    streamText(task, planText.toString(), false)
        .compose(v -> runSteps(task, steps, 0, Json.object()))
        .onSuccess(answers -> finish(task, goal, planText.toString(), answers))
        .onFailure(err -> {
          if (!task.stopped()) {
            task.fail("tool-failed", err.getMessage());
          }
        });
  }

  private record Step(String tool, ObjectNode arguments, String description, String answerName) {
  }

  private List<Step> plan(JsonNode input, String goal) {
    List<Step> steps = new ArrayList<>();
    String expression = input.path("expression").asText(goal.split("\\s+").length + " * 7 + 3");
    steps.add(new Step("calculator", Json.object().put("expression", expression),
        "Evaluate " + expression + " with the calculator", "calculation"));
    JsonNode data = input.get("data");
    ObjectNode queryArgs = Json.object();
    if (data != null) {
      queryArgs.set("document", data);
      queryArgs.put("expression", input.path("query").asText("@"));
    } else {
      ArrayNode words = Json.MAPPER.createArrayNode();
      for (String w : goal.split("\\s+")) {
        words.add(w);
      }
      queryArgs.set("document", Json.object().set("words", words));
      queryArgs.put("expression", "length(words)");
    }
    steps.add(new Step("json_query", queryArgs, "Query the data with " + queryArgs.get("expression").asText(), "query"));
    if (input.hasNonNull("url")) {
      steps.add(new Step("http_fetch", Json.object().put("url", input.get("url").asText()),
          "Fetch " + input.get("url").asText(), "fetch"));
    }
    if (input.hasNonNull("sql")) {
      ObjectNode sqlArgs = Json.object().put("sql", input.get("sql").asText());
      if (input.path("params").isArray()) {
        sqlArgs.set("params", input.get("params"));
      }
      steps.add(new Step("sql_query", sqlArgs, "Look it up in the shop database", "records"));
    }
    return steps;
  }

  private Future<ObjectNode> runSteps(AgentTask task, List<Step> steps, int index, ObjectNode answers) {
    if (index >= steps.size() || task.stopped()) {
      return Future.succeededFuture(answers);
    }
    Step step = steps.get(index);
    int percent = 20 + 60 * index / steps.size();
    return delay(task).compose(v -> {
      task.progress("step-" + (index + 1), percent, step.description);
      task.thought("act", "Calling " + step.tool + " for step " + (index + 1));
      return task.callTool(step.tool, step.arguments);
    }).compose(outcome -> {
      if (!outcome.ok()) {
        task.thought("observe", step.tool + " failed: " + outcome.error().message());
        return Future.failedFuture(step.tool + " failed: " + outcome.error().code() + ": " + outcome.error().message());
      }
      JsonNode value = outcome.result().has("value") ? outcome.result().get("value") : outcome.result();
      answers.set(step.answerName, value);
      task.thought("observe", step.tool + " answered " + abbreviate(value));
      return runSteps(task, steps, index + 1, answers);
    });
  }

  private void finish(AgentTask task, String goal, String plan, ObjectNode answers) {
    if (task.stopped()) {
      return;
    }
    String summary = "For \"" + goal + "\" the calculation gives " + abbreviate(answers.get("calculation"))
        + " and the query gives " + abbreviate(answers.get("query")) + ".";
    task.progress("summarize", 90, "writing the summary");
    streamText(task, summary, true).onSuccess(v -> {
      ObjectNode result = Json.object().put("goal", goal).put("plan", plan).put("summary", summary);
      result.set("answers", answers);
      task.progress("done", 100, "finished");
      task.complete(result);
    });
  }

  // streams text in chunks of a few words, one chunk per step delay
  private Future<Void> streamText(AgentTask task, String text, boolean lastPiece) {
    String[] words = text.split("(?<= )");
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < words.length; i += 4) {
      chunks.add(String.join("", java.util.Arrays.copyOfRange(words, i, Math.min(words.length, i + 4))));
    }
    return streamChunks(task, chunks, 0, lastPiece);
  }

  private Future<Void> streamChunks(AgentTask task, List<String> chunks, int i, boolean lastPiece) {
    if (i >= chunks.size() || task.stopped()) {
      return Future.succeededFuture();
    }
    task.content(chunks.get(i), lastPiece && i == chunks.size() - 1);
    return delay(task).compose(v -> streamChunks(task, chunks, i + 1, lastPiece));
  }

  private Future<Void> delay(AgentTask task) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    task.timer(stepDelayMs, () -> p.complete());
    return p.future();
  }

  private static String abbreviate(JsonNode value) {
    String s = value == null ? "nothing" : value.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
