package io.agentbus.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.BlockedEventLoopGuard;
import io.agentbus.testing.TestNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.grpc.client.GrpcClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real node for agent-session tests, and what the tests reach it with: a client Vert.x of its own (so agents and
 * clients never run on the node's event loops), remote agents over gRPC (sharing one HTTP/2 connection unless a test
 * opens its own), the HTTP API, the TaskService, the node's metrics and its Kafka tasks topic.
 */
final class SessionNode implements AutoCloseable {

  private static final AtomicInteger IDS = new AtomicInteger();

  final TestNode node;
  final Vertx clients;
  final GrpcClient grpc;
  final GrpcCalls calls;
  final WebClient http;
  final SocketAddress grpcAddress;
  private final List<RemoteAgent> agents = new ArrayList<>();
  private double blockedSeen;

  private SessionNode(TestNode node) {
    this.node = node;
    this.clients = Vertx.vertx(BlockedEventLoopGuard.options().setEventLoopPoolSize(2));
    this.grpc = GrpcClient.client(clients);
    this.grpcAddress = SocketAddress.inetSocketAddress(node.node().context().lifecycle().grpcPort(), "127.0.0.1");
    this.calls = new GrpcCalls(grpc, grpcAddress);
    this.http = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.node().context().lifecycle().httpPort()));
  }

  static SessionNode start(Map<String, String> settings) throws Exception {
    SessionNode started = new SessionNode(TestNode.start(settings));
    started.blockedSeen = started.blockedCount();
    return started;
  }

  private double blockedCount() {
    var blocked = node.node().context().registry().find("agentbus.eventloop.blocked").counter();
    return blocked == null ? 0 : blocked.count();
  }

  /** A name no other test uses, for agent ids and types. */
  static String fresh(String prefix) {
    return prefix + "-" + IDS.incrementAndGet();
  }

  /** A new session (not yet registered); closed with the node. */
  RemoteAgent connect() throws Exception {
    RemoteAgent agent = RemoteAgent.open(clients, grpc, grpcAddress);
    synchronized (agents) {
      agents.add(agent);
    }
    return agent;
  }

  /** A new session registered as {@code id}, asserting the registration was acknowledged. */
  RemoteAgent agent(String id, int capacity, String... types) throws Exception {
    RemoteAgent agent = connect();
    var ack = agent.register(id, capacity, types).getAck();
    if (!ack.getOk()) {
      throw new AssertionError("register of " + id + " refused: " + ack.getProblem());
    }
    return agent;
  }

  // ---- HTTP

  /** POST /v1/tasks; the accepted task's id. */
  String submit(String type, Object input) throws Exception {
    return submit(type, input, 0);
  }

  String submit(String type, Object input, long timeoutMs) throws Exception {
    var body = Json.object().put("agent_type", type);
    body.set("input", Json.tree(input));
    if (timeoutMs > 0) {
      body.put("timeout_ms", timeoutMs);
    }
    HttpResponse<Buffer> r = Await.result(http.post("/v1/tasks").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString())));
    if (r.statusCode() != 202 && r.statusCode() != 200) {
      throw new AssertionError("submit refused: " + r.statusCode() + " " + r.bodyAsString());
    }
    return json(r).get("id").asText();
  }

  /** GET /v1/tasks/{id}?wait=... */
  JsonNode task(String id, int waitSeconds) throws Exception {
    HttpResponse<Buffer> r = Await.result(http.get("/v1/tasks/" + id + "?wait=" + waitSeconds).send());
    if (r.statusCode() != 200 && r.statusCode() != 202) {
      throw new AssertionError("GET task " + id + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    return json(r);
  }

  /** The task once it has ended (waiting up to 20 s), asserting it did. */
  JsonNode ended(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode t;
    do {
      t = task(id, 5);
    } while (!terminal(t.get("state").asText()) && System.nanoTime() < deadline);
    if (!terminal(t.get("state").asText())) {
      throw new AssertionError("task " + id + " did not end: " + t);
    }
    return t;
  }

  private static boolean terminal(String state) {
    return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(state);
  }

  /** POST /v1/tasks/{id}/cancel; the response. */
  HttpResponse<Buffer> cancel(String id, String reason) throws Exception {
    return Await.result(http.post("/v1/tasks/" + id + "/cancel").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(Json.object().put("reason", reason).toString())));
  }

  /** GET /v1/agents: the agent with this id, or null. */
  JsonNode listedAgent(String id) throws Exception {
    HttpResponse<Buffer> r = Await.result(http.get("/v1/agents").send());
    for (JsonNode a : json(r).get("agents")) {
      if (a.get("id").asText().equals(id)) {
        return a;
      }
    }
    return null;
  }

  /** The task's whole SSE stream (GET /v1/tasks/{id}/events, which ends after the terminal event). */
  List<JsonNode> sse(String id) throws Exception {
    HttpResponse<Buffer> r = Await.result(http.get("/v1/tasks/" + id + "/events")
        .putHeader("Accept", "text/event-stream").timeout(30_000).send());
    List<JsonNode> events = new ArrayList<>();
    for (String line : r.bodyAsString().split("\n")) {
      if (line.startsWith("data:")) {
        events.add(Json.MAPPER.readTree(line.substring(5).trim()));
      }
    }
    return events;
  }

  /** The SSE event types of a task, in order. */
  List<String> sseTypes(String id) throws Exception {
    return sse(id).stream().map(e -> e.get("type").asText()).toList();
  }

  private static JsonNode json(HttpResponse<Buffer> r) throws Exception {
    return Json.MAPPER.readTree(r.bodyAsString());
  }

  // ---- metrics and Kafka

  double counter(String name) {
    var c = node.node().context().registry().find(name).counters();
    return c.stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  double counter(String name, String tagKey, String tagValue) {
    var c = node.node().context().registry().find(name).tag(tagKey, tagValue).counters();
    return c.stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  double gauge(String name) {
    return node.node().context().registry().find(name).gauges().stream().mapToDouble(g -> g.value()).sum();
  }

  /** The CloudEvent types ({@code io.agentbus.task.<kind>}, without the prefix) Kafka holds for a task, in order. */
  List<String> kafkaTypes(String taskId) {
    String topic = node.node().context().config().get(Setting.KAFKA_TOPIC_TASKS);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.node().context().kafkaBootstrap());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      List<String> types = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the tasks topic to its end within 30 s");
        }
        for (ConsumerRecord<String, CloudEvent> r : consumer.poll(Duration.ofMillis(200))) {
          if (taskId.equals(r.key())) {
            types.add(r.value().getType().substring("io.agentbus.task.".length()));
          }
        }
      }
      return types;
    }
  }

  /**
   * Fails if an event loop of the node was blocked since the last call, or since the node was ready (its start-up is
   * guarded by the tests that count from the start). The clients' event loops are the test's own and only logged.
   */
  void assertNoBlockedEventLoop() {
    double now = blockedCount();
    double before = blockedSeen;
    blockedSeen = now;
    if (now > before) {
      throw new AssertionError("an event loop of the node was blocked " + (long) (now - before)
          + " time(s) during this test; see the log");
    }
  }

  @Override
  public void close() {
    synchronized (agents) {
      agents.forEach(RemoteAgent::close);
    }
    try {
      Await.result(grpc.close());
      http.close();
      Await.result(clients.close());
    } catch (Exception e) {
      throw new IllegalStateException("the test clients did not close", e);
    } finally {
      node.close();
    }
  }
}
