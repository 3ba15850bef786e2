package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.events.ToolCloudEvents;
import io.agentbus.testing.SharedInfra;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Intents through real Kafka and the real Hazelcast ledger: exactly-once effects, crashes, poison records. */
class DurableExecutionTest {

  private final ToolExecutorHarness harness = new ToolExecutorHarness();
  private final IntentTopics topics = new IntentTopics(SharedInfra.kafkaBootstrap());
  private final Tools.TestTool effect = Tools.declared("effect", false, 0, null,
      (args, ctx) -> Future.succeededFuture(Tools.json("{\"ok\": true}")));
  private final Tools.TestTool repeatable = Tools.declared("repeatable", true, 0, null,
      (args, ctx) -> Future.succeededFuture(Tools.json("{\"ok\": true}")));

  @AfterEach
  void close() {
    topics.close();
    harness.close();
  }

  private String topic(Setting setting) {
    return harness.config.get(setting);
  }

  private static ToolIntent intent(String tool, String arguments) {
    return new ToolIntent("/test/" + UUID.randomUUID(), "intent-1", "task-" + UUID.randomUUID(), tool,
        Tools.json(arguments), null, null, null, null);
  }

  private List<ToolObservation> observationsOf(ToolIntent intent) {
    return topics.readAll(topic(Setting.KAFKA_TOPIC_OBSERVATION)).stream()
        .map(ToolCloudEvents::observationFrom).filter(Objects::nonNull)
        .filter(o -> o.intentSource().equals(intent.source()) && o.intentId().equals(intent.id()))
        .collect(Collectors.toList());
  }

  private double intents(String resolution) {
    Counter c = harness.meters.find(ToolMetrics.INTENTS).tag("resolution", resolution).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName("The same intent delivered 1,000 times runs its tool once; all 1,000 observations carry that one outcome")
  void replayedIntentRunsOnce() throws Exception {
    harness.deploy(NodeConfig.defaults(), effect);
    ToolIntent intent = intent("effect", "{\"n\": 1}");

    topics.sendIntent(topic(Setting.KAFKA_TOPIC_INTENT), intent, 1000);

    eventually(Duration.ofSeconds(90), 300, "1,000 observations of the intent",
        () -> observationsOf(intent).size() == 1000);
    List<ToolObservation> observations = observationsOf(intent);
    assertThat(effect.calls).as("the tool ran once").hasValue(1);
    assertThat(observations).allSatisfy(o -> {
      assertThat(o.outcome().ok()).isTrue();
      assertThat(o.outcome()).isEqualTo(observations.get(0).outcome());
    });
    assertThat(topics.readAll(topic(Setting.KAFKA_TOPIC_OBSERVATION)))
        .extracting(CloudEvent::getId).containsOnly(intent.observationId());
    assertThat(intents("executed")).isEqualTo(1);
    assertThat(intents("duplicate")).isEqualTo(999);
    eventually(Duration.ofSeconds(30), 300, "every intent's offset is committed (lag 0)", () -> lag() == 0);
  }

  private double lag() {
    Gauge g = harness.meters.find(ToolMetrics.CONSUMER_LAG).gauge();
    return g == null ? -1 : g.value();
  }

  @Test
  @DisplayName("Two calls with one task and call id, at once and later, run the tool once and get the same outcome")
  void repeatedCallsShareOneRun() {
    harness.deploy(NodeConfig.defaults(), effect);
    ToolCall call = new ToolCall("effect", Tools.json("{\"a\": 1}"), "task-" + UUID.randomUUID(), "c1", null);

    var first = harness.vertx.eventBus().<ToolOutcome>request(io.agentbus.api.Addresses.TOOLS_INVOKE, call);
    var second = harness.vertx.eventBus().<ToolOutcome>request(io.agentbus.api.Addresses.TOOLS_INVOKE, call);
    ToolOutcome a = ToolExecutorHarness.await(first).body();
    ToolOutcome b = ToolExecutorHarness.await(second).body();
    ToolOutcome later = harness.invoke(call);

    assertThat(a.ok()).isTrue();
    assertThat(b).isEqualTo(a);
    assertThat(later).isEqualTo(a);
    assertThat(effect.calls).hasValue(1);
  }

  @Test
  @DisplayName("A call id reused for other arguments gets tool-call-conflict and does not run")
  void reusedCallIdConflicts() {
    harness.deploy(NodeConfig.defaults(), effect);
    String task = "task-" + UUID.randomUUID();

    ToolOutcome first = harness.invoke(new ToolCall("effect", Tools.json("{\"a\": 1}"), task, "c1", null));
    ToolOutcome reordered = harness.invoke(new ToolCall("effect", Tools.json("{\"b\": 2, \"a\": 1}"), task, "c2", null));
    ToolOutcome sameOrderAgain = harness.invoke(new ToolCall("effect", Tools.json("{\"a\": 1, \"b\": 2}"), task, "c2",
        null));
    ToolOutcome other = harness.invoke(new ToolCall("effect", Tools.json("{\"a\": 2}"), task, "c1", null));

    assertThat(first.ok()).isTrue();
    assertThat(sameOrderAgain).as("members in another order are the same arguments").isEqualTo(reordered);
    assertThat(other.error().code()).isEqualTo(ErrorCode.TOOL_CALL_CONFLICT.slug());
    assertThat(effect.calls).hasValue(2);
    eventually(Duration.ofSeconds(30), 300, "the conflicting intent is dead-lettered",
        () -> topics.readAll(topic(Setting.KAFKA_TOPIC_DEAD_LETTER)).stream()
            .anyMatch(ce -> "call-conflict".equals(ce.getExtension(ToolCloudEvents.EXT_REASON))));
    assertThat(topics.readAll(topic(Setting.KAFKA_TOPIC_OBSERVATION)).stream().map(ToolCloudEvents::observationFrom)
        .filter(Objects::nonNull).filter(o -> o.outcome().error() != null)).as("no conflict is observed").isEmpty();
  }

  @Test
  @DisplayName("A call left 'started' by an executor that died is reported in doubt, not run again, when the tool is not idempotent")
  void startedByTheDeadIsInDoubt() throws Exception {
    harness.deploy(NodeConfig.defaults(), effect);
    ToolIntent intent = intent("effect", "{}");
    leaveStartedByDeadExecutor(intent);

    topics.sendIntent(topic(Setting.KAFKA_TOPIC_INTENT), intent, 1);

    eventually(Duration.ofSeconds(30), 300, "the intent's observation", () -> !observationsOf(intent).isEmpty());
    ToolOutcome outcome = observationsOf(intent).get(0).outcome();
    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_IN_DOUBT.slug());
    assertThat(outcome.error().message()).contains("node-that-died");
    assertThat(effect.calls).hasValue(0);
    assertThat(intents("in_doubt")).isEqualTo(1);
    LedgerEntry recorded = LedgerEntry.fromJson(ledger().get(intent.key()));
    assertThat(recorded.finished()).isTrue();
    assertThat(recorded.outcome()).isEqualTo(outcome);
  }

  @Test
  @DisplayName("A call left 'started' by an executor that died is run again when the tool is idempotent")
  void startedByTheDeadIsRetriedWhenIdempotent() throws Exception {
    harness.deploy(NodeConfig.defaults(), repeatable);
    ToolIntent intent = intent("repeatable", "{}");
    leaveStartedByDeadExecutor(intent);

    topics.sendIntent(topic(Setting.KAFKA_TOPIC_INTENT), intent, 2);

    eventually(Duration.ofSeconds(30), 300, "both observations", () -> observationsOf(intent).size() == 2);
    assertThat(observationsOf(intent)).allSatisfy(o -> assertThat(o.outcome().ok()).isTrue());
    assertThat(repeatable.calls).hasValue(1);
    assertThat(intents("retried_after_crash")).isEqualTo(1);
    assertThat(LedgerEntry.fromJson(ledger().get(intent.key())).attempt()).isEqualTo(2);
  }

  private com.hazelcast.map.IMap<String, String> ledger() {
    return SharedInfra.hazelcast().getMap(IdempotencyLedger.MAP);
  }

  // what a node that claimed the intent and then died leaves behind: its member is no longer in the cluster
  private void leaveStartedByDeadExecutor(ToolIntent intent) {
    long now = System.currentTimeMillis();
    LedgerEntry started = LedgerEntry.started(IntentExecutor.fingerprint(intent), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "node-that-died", 1, now, now + 60_000);
    ledger().put(intent.key(), started.toJson());
  }

  @Test
  @DisplayName("Records that are no runnable intent go to the dead-letter topic with their reason; the consumer goes on")
  void poisonRecordsAreDeadLettered() throws Exception {
    harness.deploy(NodeConfig.defaults(), effect);
    String intents = topic(Setting.KAFKA_TOPIC_INTENT);
    ToolIntent good = intent("effect", "{}");
    ToolIntent unknown = intent("no_such_tool", "{}");

    topics.sendRaw(intents, "k", "this is not JSON".getBytes(StandardCharsets.UTF_8), Map.of());
    topics.sendRaw(intents, "k", ("{\"specversion\": \"1.0\", \"source\": \"/x\", \"type\": \""
        + ToolCloudEvents.INTENT_TYPE + "\", \"data\": {\"tool\": \"effect\"}}").getBytes(StandardCharsets.UTF_8),
        Map.of("content-type", "application/cloudevents+json"));
    topics.sendRaw(intents, "k", "{\"tool\": \"effect\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("ce_specversion", "1.0", "ce_id", "no-source", "ce_type", ToolCloudEvents.INTENT_TYPE,
            "content-type", "application/json"));
    topics.sendBinary(intents, "k", CloudEventBuilder.v1().withId("w").withSource(URI.create("/x"))
        .withType("com.example.something.else").build());
    topics.sendBinary(intents, "k", CloudEventBuilder.v1().withId("d").withSource(URI.create("/x"))
        .withType(ToolCloudEvents.INTENT_TYPE).withDataContentType("application/json")
        .withData("[1, 2]".getBytes(StandardCharsets.UTF_8)).build());
    topics.sendIntent(intents, unknown, 1);
    topics.sendIntent(intents, good, 1);

    eventually(Duration.ofSeconds(30), 300, "6 dead letters", () -> deadLetters().size() == 6);
    Map<String, String> reasons = deadLetters().stream().collect(Collectors.toMap(CloudEvent::getId,
        ce -> ce.getExtension(ToolCloudEvents.EXT_REASON) + ": " + ce.getExtension(ToolCloudEvents.EXT_DETAIL)));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("not-a-cloudevent"));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("missing-id"));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("missing-source"));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("wrong-type"));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("invalid-data"));
    assertThat(reasons.values()).anySatisfy(r -> assertThat(r).startsWith("unknown-tool: no tool named 'no_such_tool'"));
    CloudEvent garbage = deadLetters().stream()
        .filter(ce -> ce.getExtension(ToolCloudEvents.EXT_REASON).equals("not-a-cloudevent")
            && new String(ce.getData().toBytes(), StandardCharsets.UTF_8).equals("this is not JSON"))
        .findFirst().orElseThrow();
    assertThat(garbage.getExtension(ToolCloudEvents.EXT_ORIGIN_TOPIC)).isEqualTo(intents);

    eventually(Duration.ofSeconds(30), 300, "the valid intent after the poison ran", () -> !observationsOf(good).isEmpty());
    assertThat(observationsOf(good).get(0).outcome().ok()).isTrue();
    assertThat(observationsOf(unknown).get(0).outcome().error().code())
        .as("the caller of an unknown tool is answered too").isEqualTo(ErrorCode.UNKNOWN_TOOL.slug());
    assertThat(harness.meters.find(ToolMetrics.DEAD_LETTERS).counters().stream().mapToDouble(Counter::count).sum())
        .isEqualTo(6);
    eventually(Duration.ofSeconds(30), 300, "every offset is committed, poison included (lag 0)", () -> lag() == 0);
    assertThat(Json.toString(harness.meters.scrape())).contains("agentbus_tool_dead_letters_total")
        .contains("agentbus_tool_intent_consumer_lag");
  }

  private List<CloudEvent> deadLetters() {
    return topics.readAll(topic(Setting.KAFKA_TOPIC_DEAD_LETTER));
  }
}
