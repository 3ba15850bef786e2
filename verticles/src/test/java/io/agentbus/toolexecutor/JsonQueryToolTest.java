package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonQueryToolTest {

  private static final String PEOPLE = """
      {"people": [{"name": "Ada", "age": 36}, {"name": "Bo", "age": 19}, {"name": "Cy", "age": 52}]}""";

  private ToolExecutorHarness harness;

  @BeforeEach
  void deploy() {
    harness = new ToolExecutorHarness().deploy(NodeConfig.defaults());
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private ToolOutcome query(String document, String expression) {
    return harness.invoke("json_query", "{\"document\": " + document + ", \"expression\": \"" + expression + "\"}");
  }

  @Test
  @DisplayName("Filters, projects and aggregates with JMESPath")
  void queries() {
    assertThat(query(PEOPLE, "people[?age > `30`].name").result().get("value").toString())
        .isEqualTo("[\"Ada\",\"Cy\"]");
    assertThat(query(PEOPLE, "max_by(people, &age).name").result().get("value").asText()).isEqualTo("Cy");
    assertThat(query(PEOPLE, "length(people)").result().get("value").intValue()).isEqualTo(3);
    assertThat(query("[1, 2, 3.5]", "sum(@)").result().get("value").doubleValue()).isEqualTo(6.5);
    assertThat(harness.calls("json_query", "ok")).isEqualTo(4);
  }

  @Test
  @DisplayName("Selecting nothing is a successful null")
  void selectsNothing() {
    ToolOutcome outcome = query(PEOPLE, "pets[0].name");

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.result().has("value")).isTrue();
    assertThat(outcome.result().get("value").isNull()).isTrue();
  }

  @Test
  @DisplayName("A malformed expression is a tool failure that names the syntax error")
  void badExpression() {
    ToolOutcome outcome = query(PEOPLE, "people[0");

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(outcome.error().message()).startsWith("invalid JMESPath expression: ").contains("people[0");
  }

  @Test
  @DisplayName("A function applied to the wrong type is a tool failure")
  void typeError() {
    ToolOutcome outcome = query(PEOPLE, "abs(people)");

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(outcome.error().message()).contains("expected number but was array");
  }

  @Test
  @DisplayName("A missing document or expression is rejected by the schema")
  void requiresBoth() {
    ToolOutcome outcome = harness.invoke("json_query", "{\"expression\": \"a\", \"extra\": 1}");

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(outcome.error().message())
        .contains("(root): Instance does not have required property \"document\"")
        .contains("/extra: property is not allowed by the schema");
  }
}
