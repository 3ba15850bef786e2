package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Prints a task's events for people, one line each: sequence number, type, and the part of the data worth reading
 * (progress percent, thought deltas, tool calls and results, errors). Content chunks are printed inline as they
 * arrive, so streamed text reads as text. Flushes after each event.
 */
final class TaskEventPrinter {

  private static final String INDENT = " ".repeat(20);
  private static final int MAX_JSON_CHARS = 160;

  private final PrintWriter out;
  private boolean inContent;
  private boolean atLineStart;

  TaskEventPrinter(PrintWriter out) {
    this.out = out;
  }

  /** Prints one event envelope {@code {task_id, seq, type, time, data}}. */
  void print(JsonNode event) {
    long seq = event.path("seq").asLong();
    String type = event.path("type").asText("?");
    JsonNode data = event.path("data");
    if ("content".equals(type)) {
      content(seq, data.path("text").asText(""), data.path("final").asBoolean(false));
    } else {
      endContent();
      out.println(prefix(seq, type) + describe(type, data));
    }
    out.flush();
  }

  /** Ends a content line left open by streamed text. */
  void finish() {
    endContent();
    out.flush();
  }

  /** The interesting part of an event's data, on one line. */
  static String describe(String type, JsonNode data) {
    return switch (type) {
      case "submitted" -> data.path("agent_type").asText("?") + " (timeout " + data.path("timeout_ms").asLong() + " ms)";
      case "assigned" -> data.path("agent_id").asText("?") + " (attempt " + data.path("attempt").asInt() + ")";
      case "running" -> data.path("agent_id").asText("");
      case "progress" -> String.format("%3d%% %s: %s", data.path("percent").asInt(), data.path("stage").asText(""),
          data.path("message").asText(""));
      case "thought" -> "[" + data.path("step").asText("") + "] " + data.path("delta").asText("");
      case "tool_call" -> data.path("tool").asText("?") + " " + compact(data.path("arguments"))
          + " (call " + data.path("call_id").asText("?") + ")";
      case "tool_result" -> toolResult(data);
      case "succeeded" -> "result " + compact(data.path("result"));
      case "failed" -> error(data.path("error"));
      case "cancelled", "requeued" -> data.path("reason").asText("");
      case "timed_out" -> "after " + data.path("timeout_ms").asLong() + " ms";
      default -> data.isMissingNode() ? "" : compact(data);
    };
  }

  private void content(long seq, String text, boolean last) {
    if (!inContent) {
      out.print(prefix(seq, "content"));
      inContent = true;
      atLineStart = false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (atLineStart) {
        out.print(INDENT);
        atLineStart = false;
      }
      if (c == '\n') {
        out.println();
        atLineStart = true;
      } else {
        out.print(c);
      }
    }
    if (last) {
      endContent();
    }
  }

  private void endContent() {
    if (inContent && !atLineStart) {
      out.println();
    }
    inContent = false;
  }

  private static String prefix(long seq, String type) {
    return String.format("%6d  %-12s", seq, type);
  }

  private static String toolResult(JsonNode data) {
    String took = " (" + data.path("duration_ms").asLong() + " ms)";
    if (data.path("ok").asBoolean(false)) {
      return data.path("tool").asText("?") + " ok " + compact(data.path("result")) + took;
    }
    return data.path("tool").asText("?") + " failed " + error(data.path("error")) + took;
  }

  static String error(JsonNode error) {
    return error.path("code").asText("?") + ": " + error.path("message").asText("");
  }

  static String compact(JsonNode json) {
    String s = json.isMissingNode() ? "" : json.toString();
    return s.length() > MAX_JSON_CHARS ? s.substring(0, MAX_JSON_CHARS - 3) + "..." : s;
  }
}
