package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentValidationTest {

  private ToolExecutorHarness harness;
  private Tools.TestTool tool;

  @BeforeEach
  void deploy() {
    tool = Tools.counting();
    harness = new ToolExecutorHarness().deploy(NodeConfig.defaults(), tool);
  }

  @AfterEach
  void close() {
    harness.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      wrong type            | {"n": "seven", "label": "a"}                              | /n: Instance type string is invalid. Expected integer
      not an integer        | {"n": 1.5, "label": "a"}                                  | /n: Instance type number is invalid. Expected integer
      missing field         | {"n": 1}                                                  | (root): Instance does not have required property "label"
      extra field           | {"n": 1, "label": "a", "extra": true}                     | /extra: property is not allowed by the schema
      string too long       | {"n": 1, "label": "123456789"}                            | /label: String is too long (9 > 8)
      above maximum         | {"n": 101, "label": "a"}                                  | /n: 101 is greater than 100
      not in enum           | {"n": 1, "label": "a", "mode": "medium"}                  | /mode: Instance does not match any of ["fast","slow"]
      wrong item type       | {"n": 1, "label": "a", "tags": ["x", 2]}                  | /tags/1: Instance type number is invalid. Expected string
      too many items        | {"n": 1, "label": "a", "tags": ["a", "b", "c", "d"]}      | /tags: Array has too many items
      nested extra field    | {"n": 1, "label": "a", "options": {"color": "red"}}       | /options/color: property is not allowed by the schema
      array, not an object  | [1, 2]                                                    | (root): Instance type array is invalid. Expected object
      null, not an object   | null                                                      | (root): Instance type null is invalid. Expected object
      """)
  @DisplayName("Arguments that break the schema are answered with invalid-tool-arguments and the tool is not called")
  void rejectsArgumentsThatBreakTheSchema(String kind, String arguments, String violation) {
    ToolOutcome outcome = harness.invoke("counting", arguments);

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(outcome.error().message())
        .startsWith("arguments do not match the schema of tool counting: ")
        .contains(violation);
    assertThat(violations(outcome)).as("only the violation itself, no wrapper noise").hasSize(1);
    assertThat(tool.calls).hasValue(0);
    assertThat(harness.calls("counting", "invalid_arguments")).isEqualTo(1);
    assertThat(harness.totalCalls("counting")).isEqualTo(1);
    assertThat(harness.running("counting")).isZero();
  }

  @Test
  @DisplayName("Every violation is listed, each with its JSON pointer, and only once")
  void listsEveryViolation() {
    ToolOutcome outcome = harness.invoke("counting", """
        {"n": "x", "label": "123456789", "extra": 1}""");

    assertThat(violations(outcome)).containsExactlyInAnyOrder(
        "/n: Instance type string is invalid. Expected integer",
        "/label: String is too long (9 > 8)",
        "/extra: property is not allowed by the schema");
    assertThat(tool.calls).hasValue(0);
  }

  @Test
  @DisplayName("A flood of violations is listed up to a bound, with a count of the rest")
  void boundsTheList() {
    StringBuilder extras = new StringBuilder();
    for (int i = 0; i < SchemaViolations.MAX_LISTED + 5; i++) {
      extras.append(", \"x").append(i).append("\": ").append(i);
    }
    ToolOutcome outcome = harness.invoke("counting", "{\"n\": 1, \"label\": \"a\"" + extras + "}");

    assertThat(violations(outcome)).hasSize(SchemaViolations.MAX_LISTED + 1)
        .allMatch(line -> line.endsWith("property is not allowed by the schema") || line.equals("... and 5 more"))
        .endsWith("... and 5 more");
  }

  @Test
  @DisplayName("Arguments omitted from the call are validated as null, not skipped")
  void missingArgumentsAreValidated() {
    ToolOutcome outcome = harness.invoke(new ToolCall("counting", null, "t", "c", null));

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(tool.calls).hasValue(0);
  }

  @Test
  @DisplayName("Arguments that match the schema reach the tool exactly once")
  void validArgumentsReachTheTool() {
    ToolOutcome outcome = harness.invoke("counting", """
        {"n": 100, "label": "12345678", "mode": "fast", "tags": ["a"], "options": {"verbose": true}}""");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("ok").booleanValue()).isTrue();
    assertThat(tool.calls).hasValue(1);
    assertThat(harness.calls("counting", "ok")).isEqualTo(1);
    assertThat(harness.calls("counting", "invalid_arguments")).isZero();
  }

  private static java.util.List<String> violations(ToolOutcome outcome) {
    String message = outcome.error().message();
    String list = message.substring(message.indexOf(": ") + 2);
    return Arrays.asList(list.split("; "));
  }
}
