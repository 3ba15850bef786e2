package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code test_effect}, registered only when {@code tools.test.effect-file} is set: a tool with a visible side effect
 * for crash and saga tests. A run appends its {@code line} to the file, so the file is a ledger of effects: a call
 * that ran twice shows twice. Options: {@code delay_ms} waits before the effect (a test can kill a node meanwhile);
 * {@code fail} fails the call without any effect; {@code idempotent} makes the call idempotent ("the line is in the
 * file": written only if not there yet), so the executor may run it again after a crash instead of reporting it in
 * doubt. Without it the tool is not idempotent.
 */
final class TestEffectTool implements Tool {

  static final String NAME = "test_effect";
  static final long MAX_DELAY_MS = 30_000;

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(NAME,
      "Test hook: appends the given line to the node's effect file (tools.test.effect-file).",
      StrictObjectSchema.of("{\"line\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 200, "
          + "\"pattern\": \"^[^\\\\n\\\\r]*$\"}, \"delay_ms\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": "
          + MAX_DELAY_MS + "}, \"fail\": {\"type\": \"boolean\"}, \"idempotent\": {\"type\": \"boolean\"}}", "line"),
      StrictObjectSchema.of("{\"written\": {\"type\": \"boolean\"}}", "written"),
      MAX_DELAY_MS + 5000, true);

  private final Path file;

  TestEffectTool(Path file) {
    this.file = file;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public boolean idempotentFor(JsonNode arguments) {
    return arguments.path("idempotent").asBoolean(false);
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    long delayMs = arguments.path("delay_ms").asLong(0);
    Promise<Void> waited = Promise.promise();
    if (delayMs > 0) {
      context.vertx().setTimer(delayMs, id -> waited.complete());
    } else {
      waited.complete();
    }
    return waited.future().compose(v -> effect(arguments, context));
  }

  private Future<JsonNode> effect(JsonNode arguments, ToolContext context) {
    if (arguments.path("fail").asBoolean(false)) {
      return Future.failedFuture(new AgentbusException(ErrorCode.TOOL_FAILED,
          "test_effect was asked to fail (" + arguments.get("line").asText() + ")"));
    }
    String line = arguments.get("line").asText();
    boolean once = arguments.path("idempotent").asBoolean(false);
    return context.vertx().executeBlocking(() -> {
      if (once && Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).contains(line)) {
        return Json.object().put("written", false);
      }
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.SYNC);
      return Json.object().put("written", true);
    }, false);
  }
}
