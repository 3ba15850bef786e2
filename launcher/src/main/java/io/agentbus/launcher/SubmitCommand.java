package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Submits a task, optionally waits for it or follows its events, and exits with its outcome. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Submit a task to a node.",
        "Without --wait or --follow it prints the accepted task and exits 0.",
        "Exit codes: 0 succeeded (or accepted), 1 failed/cancelled/timed out, 2 request error,"
            + " 3 still running when --wait ran out."})
final class SubmitCommand extends ApiCommand {

  private static final long MAX_INPUT_FILE_BYTES = 16 << 20;

  @Option(names = "--type", required = true, paramLabel = "AGENT_TYPE", description = "Agent type, e.g. echo or planner")
  String agentType;

  @ArgGroup(exclusive = true)
  InputSource input;

  static final class InputSource {
    @Option(names = "--input", paramLabel = "JSON", description = "The task input, a JSON value")
    String json;

    @Option(names = "--input-file", paramLabel = "FILE", description = "Read the task input (JSON) from FILE; - is stdin")
    Path file;
  }

  @Option(names = "--timeout-ms", paramLabel = "MS", description = "Task deadline in milliseconds (node default if absent)")
  Long timeoutMs;

  @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata entry (repeatable)")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(names = "--idempotency-key", paramLabel = "KEY",
      description = "Submitting again with the same key returns the first task instead of a new one")
  String idempotencyKey;

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Let the node hold the answer until the task ends or this passes (e.g. 30s; ignored with --follow)")
  Duration wait;

  @Option(names = "--follow", description = "Stream the task's events until it ends, then print its result")
  boolean follow;

  @Override
  int run(AgentbusApi api, PrintWriter out) throws IOException, ProblemException, InterruptedException {
    ObjectNode body = requestBody();
    ApiReply reply = api.submit(body, idempotencyKey, follow ? null : wait);
    JsonNode task = reply.body();
    PrintWriter err = spec.commandLine().getErr();
    if (reply.replayed()) {
      err.println("agentbus: an earlier submit used this idempotency key; this is its task");
      err.flush();
    }
    if (follow) {
      task = follow(api, task.path("id").asText(), out, err);
    }
    if (json) {
      out.println(follow ? task.toString() : reply.raw());
      out.flush();
    } else {
      TaskPrinter.outcome(out, task);
    }
    int code = ExitCodes.ofTaskState(task.path("state").asText());
    return code == ExitCodes.NOT_FINISHED && wait == null && !follow ? ExitCodes.OK : code;
  }

  private JsonNode follow(AgentbusApi api, String taskId, PrintWriter out, PrintWriter err)
      throws IOException, ProblemException, InterruptedException {
    TaskEventPrinter printer = new TaskEventPrinter(out);
    if (!json) {
      out.println("task " + taskId + " accepted; following its events");
      out.flush();
    }
    EventFollower follower = new EventFollower(api, event -> {
      if (json) {
        out.println(event.data());
        out.flush();
      } else {
        printer.print(parse(event.data()));
      }
    }, err, EventFollower.DEFAULT_READ_TIMEOUT, EventFollower.DEFAULT_MAX_FRUITLESS_ATTEMPTS);
    follower.follow(taskId);
    printer.finish();
    return api.get(taskId).body();
  }

  private ObjectNode requestBody() throws IOException {
    ObjectNode body = Json.object().put("agent_type", agentType);
    String text = readInput();
    if (text != null) {
      body.set("input", JsonArgument.parse(spec.commandLine(),
          input.file != null ? "--input-file " + input.file : "--input", text));
    }
    if (timeoutMs != null) {
      body.put("timeout_ms", timeoutMs);
    }
    if (!metadata.isEmpty()) {
      ObjectNode meta = body.putObject("metadata");
      metadata.forEach(meta::put);
    }
    return body;
  }

  private String readInput() throws IOException {
    if (input == null) {
      return null;
    }
    if (input.json != null) {
      return input.json;
    }
    byte[] bytes = "-".equals(input.file.toString()) ? System.in.readNBytes((int) MAX_INPUT_FILE_BYTES)
        : Files.readAllBytes(input.file);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String eventData) {
    try {
      return Json.MAPPER.readTree(eventData);
    } catch (IOException e) {
      return Json.object().put("type", "unreadable").put("seq", 0).set("data", Json.object().put("text", eventData));
    }
  }
}
