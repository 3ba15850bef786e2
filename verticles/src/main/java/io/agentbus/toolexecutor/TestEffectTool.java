package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code test_effect}, registered only when {@code tools.test.effect-file} is set: a tool with a visible side effect
 * for crash tests. Every run appends one line to the file, so the file is a ledger of effects: a call that ran twice
 * shows twice. Not idempotent.
 */
final class TestEffectTool implements Tool {

  static final String NAME = "test_effect";

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(NAME,
      "Test hook: appends the given line to the node's effect file (tools.test.effect-file).",
      StrictObjectSchema.of("{\"line\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 200, "
          + "\"pattern\": \"^[^\\\\n\\\\r]*$\"}}", "line"),
      StrictObjectSchema.of("{\"written\": {\"type\": \"boolean\"}}", "written"),
      5000, false);

  private final Path file;

  TestEffectTool(Path file) {
    this.file = file;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<JsonNode> call(JsonNode arguments, ToolContext context) {
    String line = arguments.get("line").asText() + "\n";
    return context.vertx().executeBlocking(() -> {
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
      return Json.object().put("written", true);
    }, false);
  }
}
