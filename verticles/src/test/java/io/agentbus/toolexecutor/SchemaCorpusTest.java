package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.events.ToolCloudEvents;
import io.agentbus.testing.SharedInfra;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Generated corpora against {@link Tools#STRICT_SCHEMA}: every argument set that breaks the schema is refused before
 * the tool, on the event-bus path and on the Kafka intent path; every one that fits reaches it.
 */
class SchemaCorpusTest {

  private static final int INVALID = 10_000;
  private static final int VALID = 500;
  private static final int WINDOW = 250;

  private final ToolExecutorHarness harness = new ToolExecutorHarness();
  private final Tools.TestTool tool = Tools.counting();
  private final Random random = new Random(20260522);

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  @DisplayName("10,000 schema-violating argument sets are all refused with invalid-tool-arguments and the tool is never called; 500 valid ones all run")
  void corpusOverTheEventBus() {
    harness.deploy(NodeConfig.defaults(), tool);
    List<JsonNode> invalid = invalidCorpus();
    assertThat(invalid).hasSize(INVALID);

    List<ToolOutcome> refused = invokeAll(invalid);

    assertThat(refused).allSatisfy(o ->
        assertThat(o.error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug()));
    assertThat(tool.calls).as("the tool's call counter").hasValue(0);
    assertThat(harness.calls("counting", "invalid_arguments")).isEqualTo(INVALID);

    List<ToolOutcome> accepted = invokeAll(validCorpus(VALID));

    assertThat(accepted).allSatisfy(o -> assertThat(o.ok()).as(String.valueOf(o.error())).isTrue());
    assertThat(tool.calls).hasValue(VALID);
  }

  @Test
  @DisplayName("Invalid arguments written straight to the intent topic are refused by the consuming executor too")
  void corpusOverKafka() throws Exception {
    harness.deploy(NodeConfig.defaults(), tool);
    List<JsonNode> invalid = invalidCorpus().subList(0, 200);
    List<ToolIntent> intents = new ArrayList<>();
    try (IntentTopics topics = new IntentTopics(SharedInfra.kafkaBootstrap())) {
      for (JsonNode arguments : invalid) {
        ToolIntent intent = new ToolIntent("/test/corpus", UUID.randomUUID().toString(), null, "counting", arguments,
            null, null, null, null);
        intents.add(intent);
        topics.sendIntent(harness.config.get(Setting.KAFKA_TOPIC_INTENT), intent, 1);
      }
      String observations = harness.config.get(Setting.KAFKA_TOPIC_OBSERVATION);
      eventually(Duration.ofSeconds(60), 300, "200 observations", () -> topics.readAll(observations).size() == 200);
      assertThat(topics.readAll(observations)).map(ToolCloudEvents::observationFrom).filteredOn(Objects::nonNull)
          .allSatisfy(o -> assertThat(o.outcome().error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug()))
          .hasSize(200);
    }
    assertThat(tool.calls).hasValue(0);
  }

  private List<ToolOutcome> invokeAll(List<JsonNode> corpus) {
    List<ToolOutcome> outcomes = new ArrayList<>();
    for (int from = 0; from < corpus.size(); from += WINDOW) {
      List<Future<Message<ToolOutcome>>> window = new ArrayList<>();
      for (JsonNode arguments : corpus.subList(from, Math.min(corpus.size(), from + WINDOW))) {
        ToolCall call = new ToolCall("counting", arguments, "task-" + UUID.randomUUID(), "c", null);
        window.add(harness.vertx.eventBus().request(Addresses.TOOLS_INVOKE, call));
      }
      for (Future<Message<ToolOutcome>> reply : window) {
        outcomes.add(ToolExecutorHarness.await(reply).body());
      }
    }
    return outcomes;
  }

  /** Distinct argument sets, each made from a valid one by one to three mutations that each break the schema. */
  private List<JsonNode> invalidCorpus() {
    List<Consumer<ObjectNode>> breakers = List.of(
        o -> o.put("n", "seven-" + random.nextInt(1000)),
        o -> o.put("n", 101 + random.nextInt(100_000)),
        o -> o.put("n", -1 - random.nextInt(100_000)),
        o -> o.put("n", random.nextInt(100) + 0.5),
        o -> o.putNull("n"),
        o -> o.put("n", random.nextBoolean()),
        o -> o.remove("n"),
        o -> o.remove("label"),
        o -> o.put("label", "x".repeat(9 + random.nextInt(200))),
        o -> o.put("label", random.nextInt()),
        o -> o.put("mode", "mode-" + random.nextInt(1000)),
        o -> o.put("mode", random.nextInt()),
        o -> {
          ArrayNode tags = o.putArray("tags");
          for (int i = 0, n = 4 + random.nextInt(5); i < n; i++) {
            tags.add("t" + random.nextInt(100));
          }
        },
        o -> o.putArray("tags").add("ok").add(random.nextInt()),
        o -> o.put("tags", "not-an-array-" + random.nextInt(1000)),
        o -> o.putObject("options").put("verbose", "yes-" + random.nextInt(1000)),
        o -> o.putObject("options").put("colour-" + random.nextInt(1000), true),
        o -> o.put("extra-" + random.nextInt(100_000), random.nextInt()));
    Set<String> seen = new LinkedHashSet<>();
    List<JsonNode> corpus = new ArrayList<>();
    while (corpus.size() < INVALID) {
      JsonNode arguments;
      int shape = random.nextInt(40);
      if (shape == 0) {
        arguments = Json.MAPPER.createArrayNode().add(random.nextInt());
      } else if (shape == 1) {
        arguments = Json.MAPPER.getNodeFactory().textNode("args-" + random.nextInt(100_000));
      } else {
        ObjectNode object = (ObjectNode) valid();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          breakers.get(random.nextInt(breakers.size())).accept(object);
        }
        arguments = object;
      }
      if (seen.add(arguments.toString())) {
        corpus.add(arguments);
      }
    }
    return corpus;
  }

  private List<JsonNode> validCorpus(int count) {
    List<JsonNode> corpus = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      corpus.add(valid());
    }
    return corpus;
  }

  private JsonNode valid() {
    ObjectNode o = Json.object().put("n", random.nextInt(101)).put("label", "l" + random.nextInt(1_000_000));
    if (random.nextBoolean()) {
      o.put("mode", random.nextBoolean() ? "fast" : "slow");
    }
    if (random.nextBoolean()) {
      ArrayNode tags = o.putArray("tags");
      for (int i = 0, n = random.nextInt(4); i < n; i++) {
        tags.add("t" + i);
      }
    }
    if (random.nextBoolean()) {
      o.putObject("options").put("verbose", random.nextBoolean());
    }
    return o;
  }
}
