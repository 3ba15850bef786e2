package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TaskEventPrinterTest {

  private final StringWriter text = new StringWriter();
  private final TaskEventPrinter printer = new TaskEventPrinter(new PrintWriter(text));

  private void print(long seq, String type, String data) throws Exception {
    printer.print(Json.MAPPER.readTree("{\"task_id\":\"t1\",\"seq\":" + seq + ",\"type\":\"" + type
        + "\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":" + data + "}"));
  }

  @Test
  @DisplayName("each event is one line: sequence, type, and the interesting part of its data")
  void oneLinePerEvent() throws Exception {
    print(1, "submitted", "{\"agent_type\":\"echo\",\"timeout_ms\":60000}");
    print(2, "assigned", "{\"agent_id\":\"echo-1\",\"attempt\":1}");
    print(4, "progress", "{\"stage\":\"echo\",\"percent\":33,\"message\":\"step 1 of 3\"}");
    print(5, "thought", "{\"step\":\"act\",\"delta\":\"Calling calculator\"}");
    print(6, "tool_call", "{\"call_id\":\"t1-1\",\"tool\":\"calculator\",\"arguments\":{\"expression\":\"1+2\"}}");
    print(7, "tool_result", "{\"call_id\":\"t1-1\",\"tool\":\"calculator\",\"ok\":true,\"result\":{\"value\":3},"
        + "\"duration_ms\":4}");
    print(8, "failed", "{\"error\":{\"code\":\"tool-failed\",\"message\":\"boom\"}}");

    assertThat(text.toString().lines()).containsExactly(
        "     1  submitted   echo (timeout 60000 ms)",
        "     2  assigned    echo-1 (attempt 1)",
        "     4  progress     33% echo: step 1 of 3",
        "     5  thought     [act] Calling calculator",
        "     6  tool_call   calculator {\"expression\":\"1+2\"} (call t1-1)",
        "     7  tool_result calculator ok {\"value\":3} (4 ms)",
        "     8  failed      tool-failed: boom");
  }

  @Test
  @DisplayName("content chunks are printed inline as one text, indented after line breaks, ended by the next event")
  void contentInline() throws Exception {
    print(6, "content", "{\"text\":\"1. Evaluate 3 * \",\"final\":false}");
    print(7, "content", "{\"text\":\"7 + 3\\n2. Query \",\"final\":false}");
    print(8, "content", "{\"text\":\"the data\",\"final\":false}");
    print(9, "progress", "{\"stage\":\"step-1\",\"percent\":20,\"message\":\"go\"}");
    print(10, "content", "{\"text\":\"Done.\",\"final\":true}");
    print(11, "succeeded", "{\"result\":{\"a\":1}}");

    assertThat(text.toString().lines()).containsExactly(
        "     6  content     1. Evaluate 3 * 7 + 3",
        "                    2. Query the data",
        "     9  progress     20% step-1: go",
        "    10  content     Done.",
        "    11  succeeded   result {\"a\":1}");
  }

  @Test
  @DisplayName("an unknown event type still prints its data")
  void unknownType() throws Exception {
    print(3, "compensation_step", "{\"x\":1}");
    assertThat(text.toString()).isEqualTo("     3  compensation_step{\"x\":1}" + System.lineSeparator());
  }
}
