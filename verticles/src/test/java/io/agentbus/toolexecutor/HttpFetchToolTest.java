package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** http_fetch against real HTTP servers on 127.0.0.1 (allowed as an internal address); no other address ever receives traffic. */
class HttpFetchToolTest {

  private static final int CAP = 4096;

  private final ToolExecutorHarness harness = new ToolExecutorHarness();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicInteger decoyHits = new AtomicInteger();
  private final CompletableFuture<Void> endlessClosed = new CompletableFuture<>();
  private final CompletableFuture<Void> slowClosed = new CompletableFuture<>();
  private int port;
  private int decoyPort;

  /**
   * The first HTTP exchange in a JVM loads and links a few hundred Netty and Vert.x classes on an event loop (over
   * 150 ms on a loaded 2-core machine). That one-time JVM cost is not the tool blocking, so it is paid here, on a
   * Vert.x the blocked-event-loop guard does not watch.
   */
  @BeforeAll
  static void warmUpTheHttpStack() {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = await(vertx.createHttpServer().requestHandler(r -> r.response().end("warm"))
          .listen(0, "127.0.0.1"));
      HttpClientAgent client = vertx.createHttpClient();
      await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
          .compose(request -> request.send()).compose(response -> response.body()));
    } finally {
      await(vertx.close());
    }
  }

  @BeforeEach
  void startServers() {
    port = await(harness.vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1")).actualPort();
    decoyPort = await(harness.vertx.createHttpServer().requestHandler(request -> {
      decoyHits.incrementAndGet();
      request.response().end("decoy");
    }).listen(0, "127.0.0.1")).actualPort();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private void serve(HttpServerRequest request) {
    hits.computeIfAbsent(request.path(), path -> new AtomicInteger()).incrementAndGet();
    switch (request.path()) {
      case "/hello" -> request.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("hello, agent");
      case "/echo" -> request.body().onSuccess(body -> request.response()
          .putHeader("Content-Type", "text/plain").end(request.method() + " " + request.getHeader("Content-Type") + " "
              + body));
      case "/post-redirect" -> redirect(request, "/echo");
      case "/post-redirect-307" -> request.response().setStatusCode(307).putHeader("Location", "/echo").end();
      case "/hop" -> redirect(request, "/hello");
      case "/hop-absolute" -> redirect(request, "http://127.0.0.1:" + port + "/hop");
      case "/to-decoy" -> redirect(request, "http://127.0.0.1:" + decoyPort + "/");
      case "/to-localhost" -> redirect(request, "http://localhost:" + port + "/hello");
      case "/loop" -> redirect(request, "/loop");
      case "/exact" -> request.response().end("e".repeat(CAP));
      case "/endless" -> writeForever(request.response());
      case "/slow" -> request.connection().closeHandler(v -> slowClosed.complete(null));
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void redirect(HttpServerRequest request, String location) {
    request.response().setStatusCode(302).putHeader("Location", location).end();
  }

  /** 1 KB every 2 ms until the client goes away. */
  private void writeForever(HttpServerResponse response) {
    response.setChunked(true).putHeader("Content-Type", "application/octet-stream");
    Buffer chunk = Buffer.buffer("x".repeat(1024));
    long timer = harness.vertx.setPeriodic(2, id -> response.write(chunk));
    response.closeHandler(v -> {
      harness.vertx.cancelTimer(timer);
      endlessClosed.complete(null);
    });
  }

  private NodeConfig allowing(String hosts) {
    return NodeConfig.defaults()
        .with(Setting.TOOLS_HTTP_ALLOW_HOSTS, hosts)
        .with(Setting.TOOLS_HTTP_ALLOW_INTERNAL, "127.0.0.1")
        .with(Setting.TOOLS_HTTP_MAX_BYTES, CAP);
  }

  private void deployAllowingTheServer() {
    harness.deploy(allowing("127.0.0.1:" + port));
  }

  private ToolOutcome get(String url) {
    return harness.invoke("http_fetch", "{\"url\": \"" + url + "\"}");
  }

  private String local(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private int hitCount() {
    return hits.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Test
  @DisplayName("Fetches from an allow-listed host: status, content type, body, final URL")
  void fetchesFromAnAllowedHost() {
    deployAllowingTheServer();

    ToolOutcome outcome = get(local("/hello"));

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    JsonNode result = outcome.result();
    assertThat(result.get("status").intValue()).isEqualTo(200);
    assertThat(result.get("content_type").asText()).isEqualTo("text/plain; charset=utf-8");
    assertThat(result.get("body").asText()).isEqualTo("hello, agent");
    assertThat(result.get("truncated").booleanValue()).isFalse();
    assertThat(result.get("url").asText()).isEqualTo(local("/hello"));
    assertThat(hits.get("/hello")).hasValue(1);
    assertThat(harness.calls("http_fetch", "ok")).isEqualTo(1);
  }

  @Test
  @DisplayName("A host or port not on the list is denied before any request is made")
  void deniesHostsNotOnTheList() {
    deployAllowingTheServer();

    ToolOutcome otherName = get("http://localhost:" + port + "/hello");
    ToolOutcome otherPort = get("http://127.0.0.1:" + decoyPort + "/");

    assertThat(otherName.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(otherName.error().message()).contains("localhost:" + port + " is not in tools.http-fetch.allow-hosts");
    assertThat(otherPort.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(hitCount()).isZero();
    assertThat(decoyHits).hasValue(0);
    assertThat(harness.calls("http_fetch", "denied")).isEqualTo(2);
  }

  @Test
  @DisplayName("With an empty allow-list every URL is denied")
  void emptyListDeniesEverything() {
    harness.deploy(NodeConfig.defaults());

    ToolOutcome outcome = get(local("/hello"));

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(outcome.error().message()).contains("tools.http-fetch.allow-hosts is empty");
    assertThat(hitCount()).isZero();
  }

  @Test
  @DisplayName("Only http and https, without credentials in the URL; the scheme's case does not matter")
  void onlyPlainHttpUrls() {
    deployAllowingTheServer();

    for (String url : new String[] {"ftp://127.0.0.1:" + port + "/hello", "file:///etc/passwd",
        "http://user:secret@127.0.0.1:" + port + "/hello", "/hello"}) {
      assertThat(get(url).error().code()).as(url).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    }
    assertThat(get("not a url").error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(hitCount()).isZero();

    assertThat(get("HTTP://127.0.0.1:" + port + "/hello").ok()).isTrue();
    assertThat(hits.get("/hello")).hasValue(1);
  }

  @Test
  @DisplayName("Follows relative and absolute redirects within the allow-list and reports the final URL")
  void followsAllowedRedirects() {
    deployAllowingTheServer();

    ToolOutcome outcome = get(local("/hop-absolute"));

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("body").asText()).isEqualTo("hello, agent");
    assertThat(outcome.result().get("url").asText()).isEqualTo(local("/hello"));
    assertThat(hits.get("/hop-absolute")).hasValue(1);
    assertThat(hits.get("/hop")).hasValue(1);
    assertThat(hits.get("/hello")).hasValue(1);
  }

  @Test
  @DisplayName("A redirect to a host not on the list is denied and never followed")
  void deniesRedirectsOffTheList() {
    deployAllowingTheServer();

    ToolOutcome toDecoy = get(local("/to-decoy"));
    ToolOutcome toLocalhost = get(local("/to-localhost"));

    assertThat(toDecoy.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(toDecoy.error().message()).contains("127.0.0.1:" + decoyPort);
    assertThat(toLocalhost.error().code()).isEqualTo(ErrorCode.TOOL_DENIED.slug());
    assertThat(decoyHits).hasValue(0);
    assertThat(hits.get("/hello")).isNull();
  }

  @Test
  @DisplayName("Stops after 3 redirects")
  void boundedRedirects() {
    deployAllowingTheServer();

    ToolOutcome outcome = get(local("/loop"));

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_FAILED.slug());
    assertThat(outcome.error().message()).startsWith("more than 3 redirects");
    assertThat(hits.get("/loop")).as("the first request and 3 redirects").hasValue(4);
  }

  @Test
  @DisplayName("A body of exactly the cap is complete, not truncated")
  void bodyAtTheCap() {
    deployAllowingTheServer();

    ToolOutcome outcome = get(local("/exact"));

    assertThat(outcome.result().get("body").asText()).hasSize(CAP);
    assertThat(outcome.result().get("truncated").booleanValue()).isFalse();
  }

  @Test
  @DisplayName("An endless body is cut at the cap, reported truncated, and the connection closed")
  void endlessBodyIsTruncated() throws Exception {
    deployAllowingTheServer();

    ToolOutcome outcome = get(local("/endless"));

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.result().get("truncated").booleanValue()).isTrue();
    assertThat(outcome.result().get("body").asText()).hasSize(CAP).matches("x+");
    assertThat(outcome.result().get("content_type").asText()).isEqualTo("application/octet-stream");
    endlessClosed.get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A server that never answers times out with tools.http-fetch.timeout-ms, and the connection is closed")
  void slowServerTimesOut() throws Exception {
    harness.deploy(allowing("127.0.0.1:" + port).with(Setting.TOOLS_HTTP_TIMEOUT_MS, 400));

    ToolOutcome outcome = get(local("/slow"));

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_TIMEOUT.slug());
    assertThat(outcome.durationMs()).isGreaterThanOrEqualTo(400);
    slowClosed.get(5, TimeUnit.SECONDS);
    assertThat(harness.calls("http_fetch", "timeout")).isEqualTo(1);
  }

  @Test
  @DisplayName("A call's shorter limit cuts the request short too")
  void callLimitAppliesToTheRequest() throws Exception {
    deployAllowingTheServer();

    ToolOutcome outcome = harness.invoke(new ToolCall("http_fetch",
        Tools.json("{\"url\": \"" + local("/slow") + "\"}"), "t", "c", 300L));

    assertThat(outcome.error().code()).isEqualTo(ErrorCode.TOOL_TIMEOUT.slug());
    assertThat(outcome.error().message()).startsWith("tool http_fetch did not finish within");
    slowClosed.get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Arguments other than a single url string are rejected before any request")
  void strictArguments() {
    deployAllowingTheServer();

    assertThat(harness.invoke("http_fetch", "{\"url\": 5}").error().code())
        .isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(harness.invoke("http_fetch", "{\"url\": \"" + local("/hello") + "\", \"method\": \"DELETE\"}")
        .error().code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(harness.invoke("http_fetch", "{\"url\": \"" + local("/hello") + "\", \"headers\": {}}")
        .error().message()).contains("/headers: property is not allowed by the schema");
    assertThat(harness.invoke("http_fetch", "{\"url\": \"" + local("/hello") + "\", \"body\": \"x\"}")
        .error().code()).as("a body only with POST").isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    assertThat(harness.invoke("http_fetch", "{\"url\": \"http://127.0.0.1/" + "a".repeat(2048) + "\"}")
        .error().message()).contains("/url: String is too long");
    assertThat(hitCount()).isZero();
  }

  @Test
  @DisplayName("POST sends its body and content type; a 302 turns it into a GET without body, a 307 keeps it")
  void postsAndRedirectsAsBrowsersDo() {
    deployAllowingTheServer();

    ToolOutcome posted = harness.invoke("http_fetch", "{\"url\": \"" + local("/echo")
        + "\", \"method\": \"POST\", \"body\": \"{\\\"a\\\":1}\"}");
    ToolOutcome after302 = harness.invoke("http_fetch", "{\"url\": \"" + local("/post-redirect")
        + "\", \"method\": \"POST\", \"body\": \"x\", \"content_type\": \"text/plain\"}");
    ToolOutcome after307 = harness.invoke("http_fetch", "{\"url\": \"" + local("/post-redirect-307")
        + "\", \"method\": \"POST\", \"body\": \"kept\", \"content_type\": \"text/plain\"}");

    assertThat(posted.ok()).as(String.valueOf(posted.error())).isTrue();
    assertThat(posted.result().get("body").asText()).isEqualTo("POST application/json {\"a\":1}");
    assertThat(after302.result().get("body").asText()).isEqualTo("GET null ");
    assertThat(after302.result().get("redirects").intValue()).isEqualTo(1);
    assertThat(after307.result().get("body").asText()).isEqualTo("POST text/plain kept");
  }
}
