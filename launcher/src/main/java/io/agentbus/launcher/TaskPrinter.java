package io.agentbus.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import java.io.PrintWriter;
import java.time.Instant;

/** Prints a task as the REST API shows it, for people: its outcome after a submit, or all its fields. */
final class TaskPrinter {

  private TaskPrinter() {
  }

  /** The state line, then the result (pretty JSON) or the error, or how to look again when it has not ended. */
  static void outcome(PrintWriter out, JsonNode task) {
    String state = task.path("state").asText("?");
    String took = isTerminal(state) ? "in " + Ages.between(task.path("created_at").asText(null),
        task.path("updated_at").asText(null)) + " " : "";
    out.printf("%s  %s  %s  %s(attempt %d%s)%n", state, task.path("id").asText("?"), task.path("agent_type").asText("?"),
        took, task.path("attempt").asInt(), task.hasNonNull("agent_id") ? ", agent " + task.get("agent_id").asText() : "");
    if (task.has("result")) {
      out.println(pretty(task.get("result")));
    } else if (task.has("error")) {
      out.println("error " + TaskEventPrinter.error(task.get("error")));
    } else if (!isTerminal(state)) {
      out.println("not finished yet; see: agentbus task " + task.path("id").asText());
    }
    out.flush();
  }

  /** Every field, one per line, times with their age at {@code now}. */
  static void details(PrintWriter out, JsonNode task, Instant now) {
    row(out, "id", task.path("id").asText());
    row(out, "type", task.path("agent_type").asText());
    row(out, "state", task.path("state").asText());
    row(out, "attempt", task.path("attempt").asText());
    row(out, "agent", task.path("agent_id").asText("-"));
    row(out, "owner", task.path("owner_node").asText("-"));
    row(out, "created", task.path("created_at").asText() + " (" + Ages.since(task.path("created_at").asText(null), now)
        + " ago)");
    row(out, "updated", task.path("updated_at").asText() + " (" + Ages.since(task.path("updated_at").asText(null), now)
        + " ago)");
    row(out, "timeout", task.path("timeout_ms").asLong() + " ms");
    row(out, "events", task.path("last_seq").asText());
    StringBuilder metadata = new StringBuilder();
    task.path("metadata").fields().forEachRemaining(e -> metadata.append(metadata.length() == 0 ? "" : ", ")
        .append(e.getKey()).append('=').append(e.getValue().asText()));
    row(out, "metadata", metadata.length() == 0 ? "-" : metadata.toString());
    row(out, "input", task.has("input") ? pretty(task.get("input")) : "-");
    if (task.has("result")) {
      row(out, "result", pretty(task.get("result")));
    }
    if (task.has("error")) {
      row(out, "error", TaskEventPrinter.error(task.get("error")));
    }
    out.flush();
  }

  static String pretty(JsonNode json) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      return json.toString();
    }
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("%-9s %s%n", name, value.replace("\n", "\n          "));
  }

  private static boolean isTerminal(String state) {
    int code = ExitCodes.ofTaskState(state);
    return code == ExitCodes.OK || code == ExitCodes.TASK_UNSUCCESSFUL;
  }
}
