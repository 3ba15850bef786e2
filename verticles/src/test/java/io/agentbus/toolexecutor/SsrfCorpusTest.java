package io.agentbus.toolexecutor;

import static io.agentbus.toolexecutor.ToolExecutorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolOutcome;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An SSRF corpus against http_fetch with every host allowed ({@code *}) and no internal address allowed: a canary
 * HTTP server on 127.0.0.1 counts every request that reaches it, and must count none. A redirector on 127.0.0.2
 * (allowed as an internal address, so its requests do happen) sends every redirect spelling towards the canary.
 */
class SsrfCorpusTest {

  private final ToolExecutorHarness harness = new ToolExecutorHarness();
  private final AtomicInteger canaryHits = new AtomicInteger();
  private final AtomicInteger redirectorHits = new AtomicInteger();
  private int canary;
  private int redirector;

  @BeforeEach
  void startServers() {
    HttpServer c = await(harness.vertx.createHttpServer().requestHandler(r -> {
      canaryHits.incrementAndGet();
      r.response().end("canary");
    }).listen(0, "127.0.0.1"));
    canary = c.actualPort();
    HttpServer r = await(harness.vertx.createHttpServer().requestHandler(request -> {
      redirectorHits.incrementAndGet();
      String to = request.getParam("to");
      request.response().setStatusCode(to == null ? 200 : 302).putHeader("Location", to == null ? "" : to)
          .end("redirector");
    }).listen(0, "127.0.0.2"));
    redirector = r.actualPort();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  /** The canary's address in every spelling a URL parser, resolver or browser may accept. */
  private List<String> canaryUrls() {
    int p = canary;
    List<String> hosts = List.of("127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7F.0.0.1",
        "0177.0.0.1", "0177.0000.0000.0001", "017700000001", "0x7f.0x0.0x0.0x1", "127.000.000.001", "127.0.0.1.",
        "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "[::127.0.0.1]", "[::1]",
        "[0:0:0:0:0:0:0:1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]", "localhost", "LOCALHOST", "localhost.",
        "0.0.0.0", "0", "[::]", "127.255.255.254", "0x7f.1");
    List<String> urls = new ArrayList<>();
    for (String host : hosts) {
      urls.add("http://" + host + ":" + p + "/");
      urls.add("HTTP://" + host + ":" + p + "/path?q=1#frag");
    }
    urls.add("http://127.0.0.1:" + p + "@evil.example/");
    urls.add("http://evil.example@127.0.0.1:" + p + "/");
    urls.add("http://127.0.0.1%2e:" + p + "/");
    urls.add("http://%31%32%37.0.0.1:" + p + "/");
    urls.add("http://127。0。0。1:" + p + "/");
    urls.add("http://[::ffff:127.0.0.1%25lo]:" + p + "/");
    urls.add("http:/127.0.0.1:" + p + "/");
    urls.add("http:\\\\127.0.0.1:" + p + "/");
    urls.add("//127.0.0.1:" + p + "/");
    urls.add("gopher://127.0.0.1:" + p + "/");
    urls.add("file:///etc/passwd");
    urls.add("http://169.254.169.254/latest/meta-data/");
    urls.add("http://[fd00:ec2::254]/latest/meta-data/");
    urls.add("http://100.100.100.200/latest/meta-data/");
    urls.add("http://10.0.0.1/");
    urls.add("http://192.168.1.1/");
    urls.add("http://172.16.0.1/");
    urls.add("http://[fe80::1]/");
    urls.add("http://[fc00::1]/");
    urls.add("http://224.0.0.1/");
    urls.add("http://255.255.255.255/");
    urls.add("http://100.64.0.1/");
    urls.add("http://198.18.0.1/");
    return urls;
  }

  private ToolOutcome fetch(String url) {
    return harness.invoke("http_fetch", "{\"url\": " + io.agentbus.api.Json.toString(url) + "}");
  }

  @Test
  @DisplayName("Every spelling of loopback, private, link-local and metadata addresses is refused; the canary sees zero requests")
  void corpusNeverReachesTheCanary() {
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_HTTP_ALLOW_HOSTS, "*")
        .with(Setting.TOOLS_HTTP_ALLOW_INTERNAL, "127.0.0.2"));

    List<String> corpus = canaryUrls();
    for (String url : corpus) {
      ToolOutcome outcome = fetch(url);
      assertThat(outcome.ok()).as(url + " was fetched: " + outcome.result()).isFalse();
      assertThat(outcome.error().code()).as(url + ": " + outcome.error().message())
          .isIn(ErrorCode.TOOL_DENIED.slug(), ErrorCode.TOOL_FAILED.slug(), ErrorCode.INVALID_TOOL_ARGUMENTS.slug());
    }
    for (String url : corpus) {
      if (!url.startsWith("http://") || url.contains("%") || url.contains("@") || url.contains("。")) {
        continue;
      }
      ToolOutcome viaRedirect = fetch("http://127.0.0.2:" + redirector + "/?to="
          + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(viaRedirect.error()).as("redirect to " + url).isNotNull();
    }

    assertThat(canaryHits).as("requests that reached the canary").hasValue(0);
    assertThat(redirectorHits.get()).as("the redirector was reached, so redirects were really tried").isPositive();
    assertThat(fetch("http://127.0.0.2:" + redirector + "/").ok()).as("an allowed internal address works").isTrue();
  }

  @Test
  @DisplayName("Control: with 127.0.0.1 allowed as internal, the canary is reachable, so the corpus test can fail")
  void canaryIsReachableWhenAllowed() {
    harness.deploy(NodeConfig.defaults().with(Setting.TOOLS_HTTP_ALLOW_HOSTS, "*")
        .with(Setting.TOOLS_HTTP_ALLOW_INTERNAL, "127.0.0.0/8"));

    for (String host : List.of("127.0.0.1", "[::ffff:127.0.0.1]", "localhost")) {
      ToolOutcome outcome = fetch("http://" + host + ":" + canary + "/");
      assertThat(outcome.ok()).as(host + ": " + outcome.error()).isTrue();
    }
    assertThat(canaryHits).hasValue(3);
  }

  @Test
  @DisplayName("Names that resolve to an internal address are refused, and the address checked is the one connected to (no DNS rebinding)")
  void namesAreResolvedOnceAndChecked() {
    Vertx vertx = harness.vertx;
    AtomicInteger lookups = new AtomicInteger();
    Map<String, List<String>> dns = Map.of(
        "metadata.evil.test", List.of("169.254.169.254"),
        "mixed.evil.test", List.of("93.184.216.34", "127.0.0.1"),
        "mapped.evil.test", List.of("::ffff:127.0.0.1"),
        "v6.evil.test", List.of("::1"),
        "private.evil.test", List.of("10.1.2.3"));
    HttpFetchTool.Resolver resolver = host -> {
      if (host.equals("rebind.evil.test")) {
        // first answer the allowed redirector, then (were it asked again) the canary
        return Future.succeededFuture(List.of(address(lookups.getAndIncrement() == 0 ? "127.0.0.2" : "127.0.0.1")));
      }
      List<String> answer = dns.get(host);
      return answer == null ? Future.failedFuture("NXDOMAIN")
          : Future.succeededFuture(answer.stream().map(SsrfCorpusTest::address).toList());
    };
    HttpClientAgent client = vertx.createHttpClient(HttpFetchTool.clientOptions(2000));
    HttpFetchTool tool = new HttpFetchTool(client, HostAllowList.parse(List.of("*")),
        AddressBlocks.parse(List.of("127.0.0.2"), "test"), resolver, 4096, 2000);

    for (String host : dns.keySet()) {
      Throwable failure = run(tool, "http://" + host + ":" + canary + "/");
      assertThat(failure).as(host).isInstanceOf(AgentbusException.class);
      assertThat(((AgentbusException) failure).code()).as(host).isEqualTo(ErrorCode.TOOL_DENIED);
      assertThat(failure.getMessage()).as(host).contains("resolves to a");
    }
    assertThat(run(tool, "http://rebind.evil.test:" + redirector + "/")).isNull();
    assertThat(lookups).as("the name was resolved once").hasValue(1);
    assertThat(redirectorHits).hasValue(1);
    assertThat(canaryHits).hasValue(0);
    await(client.close());
  }

  private Throwable run(HttpFetchTool tool, String url) {
    JsonNode args = Tools.json("{\"url\": \"" + url + "\"}");
    Promise<Throwable> outcome = Promise.promise();
    harness.vertx.runOnContext(v -> tool.call(args, new ToolContext(harness.vertx, "t", "c", 2000,
            Promise.<Void>promise().future()))
        .onComplete(ar -> outcome.complete(ar.failed() ? ar.cause() : null)));
    return await(outcome.future());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
