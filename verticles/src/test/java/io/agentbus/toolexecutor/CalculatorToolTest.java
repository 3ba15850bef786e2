package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorToolTest {

  private ToolExecutorHarness harness;

  @BeforeEach
  void deploy() {
    harness = new ToolExecutorHarness().deploy(NodeConfig.defaults());
  }

  @AfterEach
  void close() {
    harness.close();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2 * (3 + 4)         | 14
      sqrt(16) + 2^3      | 12
      7 / 2               | 3.5
      -5 % 3              | -2
      abs(-2.5) * 4       | 10
      """)
  @DisplayName("Evaluates arithmetic")
  void evaluates(String expression, double expected) {
    ToolOutcome outcome = harness.invoke("calculator", "{\"expression\": \"" + expression + "\"}");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("value").doubleValue()).isEqualTo(expected);
    assertThat(harness.calls("calculator", "ok")).isEqualTo(1);
  }

  @Test
  @DisplayName("Substitutes named variables")
  void variables() {
    ToolOutcome outcome = harness.invoke("calculator", """
        {"expression": "price * quantity * (1 + vat)", "variables": {"price": 12.5, "quantity": 4, "vat": 0.2}}""");

    assertThat(outcome.result().get("value").doubleValue()).isEqualTo(60.0);
  }

  @Test
  @DisplayName("Division by zero is a clear tool failure")
  void divisionByZero() {
    ToolOutcome outcome = harness.invoke("calculator", "{\"expression\": \"1 / (2 - 2)\"}");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(outcome.error().message()).containsIgnoringCase("division by zero");
  }

  @Test
  @DisplayName("A non-finite result (overflow, log of zero) is refused")
  void nonFiniteResults() {
    ToolOutcome overflow = harness.invoke("calculator", "{\"expression\": \"10^400\"}");
    ToolOutcome logZero = harness.invoke("calculator", "{\"expression\": \"log(0)\"}");

    assertThat(overflow.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(overflow.error().message()).isEqualTo("'10^400' has no finite value (Infinity): division by zero, "
        + "overflow or a value outside a function's domain");
    assertThat(logZero.error().message()).contains("(-Infinity)");
  }

  @Test
  @DisplayName("Syntax errors and unknown names are tool failures that say what is wrong")
  void badExpressions() {
    ToolOutcome dangling = harness.invoke("calculator", "{\"expression\": \"2 +\"}");
    ToolOutcome unknown = harness.invoke("calculator", "{\"expression\": \"width * 2\"}");

    assertThat(dangling.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(dangling.error().message()).startsWith("cannot evaluate '2 +': ");
    assertThat(unknown.error().message()).contains("'width'");
  }

  @Test
  @DisplayName("Over-long expressions and non-numeric variables never reach the evaluator")
  void boundedArguments() {
    String tooLong = "1+".repeat(CalculatorTool.MAX_EXPRESSION_LENGTH / 2) + "1";
    ToolOutcome longOne = harness.invoke("calculator", "{\"expression\": \"" + tooLong + "\"}");
    ToolOutcome textVariable = harness.invoke("calculator", """
        {"expression": "x + 1", "variables": {"x": "one"}}""");
    ToolOutcome badName = harness.invoke("calculator", """
        {"expression": "1", "variables": {"1x": 1}}""");

    assertThat(longOne.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(longOne.error().message()).contains("/expression: String is too long (1001 > 1000)");
    assertThat(textVariable.error().message())
        .endsWith(": /variables/x: Instance type string is invalid. Expected number");
    assertThat(badName.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(harness.calls("calculator", "invalid_arguments")).isEqualTo(3);
  }
}
