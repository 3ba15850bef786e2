package io.agentbus.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.SubmitTask;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestParsingTest {

  private final JsonBodies bodies = new JsonBodies(8, 1 << 20);

  private JsonNode json(String text) {
    return bodies.parse(Buffer.buffer(text));
  }

  private static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (AgentbusException e) {
      return e.code();
    }
    throw new AssertionError("no failure");
  }

  @Test
  @DisplayName("malformed JSON, trailing content, duplicate keys and empty bodies are malformed-json")
  void malformed() {
    assertThat(codeOf(() -> json("{\"a\":"))).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(codeOf(() -> json("{\"a\":1} {\"b\":2}"))).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(codeOf(() -> json("{\"a\":1,\"a\":2}"))).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(codeOf(() -> json(""))).isEqualTo(ErrorCode.MALFORMED_JSON);
    assertThat(codeOf(() -> json("{'a':1}"))).isEqualTo(ErrorCode.MALFORMED_JSON);
  }

  @Test
  @DisplayName("nesting deeper than the limit is json-too-deep; at the limit it parses")
  void depth() {
    assertThat(json("[".repeat(8) + "]".repeat(8))).isNotNull();
    assertThat(codeOf(() -> json("[".repeat(9) + "]".repeat(9)))).isEqualTo(ErrorCode.JSON_TOO_DEEP);
    assertThat(codeOf(() -> json("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))))
        .isEqualTo(ErrorCode.JSON_TOO_DEEP);
  }

  @Test
  @DisplayName("a valid submit carries every field through")
  void validSubmit() {
    SubmitTask s = SubmitRequests.parse(json(
        "{\"agent_type\":\"echo\",\"input\":{\"x\":[1,2]},\"timeout_ms\":5000,\"metadata\":{\"who\":\"me\"}}"),
        "key-1", null, 3000);
    assertThat(s.agentType()).isEqualTo("echo");
    assertThat(s.input().get("x").get(1).asInt()).isEqualTo(2);
    assertThat(s.timeoutMs()).isEqualTo(5000L);
    assertThat(s.metadata()).containsEntry("who", "me");
    assertThat(s.idempotencyKey()).isEqualTo("key-1");
    assertThat(s.waitMs()).isEqualTo(3000);
  }

  @Test
  @DisplayName("every invalid field is reported with a JSON pointer, all at once")
  void invalidFields() {
    assertThatThrownBy(() -> SubmitRequests.parse(json(
        "{\"agent_type\":7,\"timeout_ms\":\"soon\",\"metadata\":{\"a\":1},\"extra\":true}"), null, null, 0))
        .isInstanceOfSatisfying(SubmitRequests.Invalid.class, e -> assertThat(e.errors)
            .extracting(Problems.FieldError::pointer)
            .containsExactlyInAnyOrder("/agent_type", "/timeout_ms", "/metadata/a", "/extra"));
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"input\":1}"), null, null, 0))
        .isInstanceOfSatisfying(SubmitRequests.Invalid.class, e -> assertThat(e.errors)
            .extracting(Problems.FieldError::detail).containsExactly("required"));
    assertThatThrownBy(() -> SubmitRequests.parse(json("[1]"), null, null, 0))
        .isInstanceOf(SubmitRequests.Invalid.class);
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"agent_type\":\"a b\"}"), null, null, 0))
        .isInstanceOf(SubmitRequests.Invalid.class);
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"timeout_ms\":1.5}"), null, null, 0))
        .isInstanceOf(SubmitRequests.Invalid.class);
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"timeout_ms\":0}"), null, null, 0))
        .isInstanceOf(SubmitRequests.Invalid.class);
  }

  @Test
  @DisplayName("session_id and on_busy are carried through; enqueue is the default; bad values and on_busy without a session are field errors")
  void sessionFields() {
    SubmitTask s = SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"session_id\":\"chat-7\",\"on_busy\":\"interrupt\"}"),
        null, null, 0);
    assertThat(s.sessionId()).isEqualTo("chat-7");
    assertThat(s.onBusy()).isEqualTo(io.agentbus.api.OnBusy.INTERRUPT);
    SubmitTask plain = SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"session_id\":\"chat-7\"}"), null, null, 0);
    assertThat(plain.onBusy()).isEqualTo(io.agentbus.api.OnBusy.ENQUEUE);
    assertThat(SubmitRequests.parse(json("{\"agent_type\":\"echo\"}"), null, null, 0).sessionId()).isNull();
    assertThatThrownBy(() -> SubmitRequests.parse(json(
        "{\"agent_type\":\"echo\",\"session_id\":\"a b\",\"on_busy\":\"later\"}"), null, null, 0))
        .isInstanceOfSatisfying(SubmitRequests.Invalid.class, e -> assertThat(e.errors)
            .extracting(Problems.FieldError::pointer).containsExactlyInAnyOrder("/session_id", "/on_busy"));
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"on_busy\":\"reject\"}"), null, null, 0))
        .isInstanceOfSatisfying(SubmitRequests.Invalid.class, e -> assertThat(e.errors)
            .extracting(Problems.FieldError::pointer).containsExactly("/on_busy"));
    assertThatThrownBy(() -> SubmitRequests.parse(json("{\"agent_type\":\"echo\",\"session_id\":\"" + "x".repeat(129)
        + "\"}"), null, null, 0)).isInstanceOf(SubmitRequests.Invalid.class);
  }
}
