package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.agentbus.config.Setting;
import io.agentbus.grpc.v1.GetTaskRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.testing.Await;
import io.agentbus.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * limits.tenant-requests-per-second: a tenant that bursts past it gets 429 with Retry-After (REST) and
 * RESOURCE_EXHAUSTED with RetryInfo (gRPC), never more successes than the limit per window, while another tenant
 * keeps full success.
 */
class TenantRateLimitTest {

  private static final int LIMIT = 5;
  private static TestNode node;
  private static String secret;
  private static Vertx clients;
  private static GrpcClient grpc;
  private static GrpcCalls calls;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("agentbus-limits-");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Setting.AUTH_MODE.key(), "jwt");
    settings.put(Setting.AUTH_JWT_ISSUER.key(), "test-issuer");
    settings.put(Setting.AUTH_JWT_AUDIENCE.key(), "test-audience");
    settings.put(Setting.AUTH_JWT_HMAC_KEY_FILE.key(), dir.resolve("hs256.key").toString());
    settings.put(Setting.LIMITS_TENANT_REQUESTS_PER_SECOND.key(), String.valueOf(LIMIT));
    node = TestNode.start(settings);
    secret = Files.readString(dir.resolve("hs256.key")).trim();
    clients = Vertx.vertx(io.agentbus.testing.BlockedEventLoopGuard.options().setEventLoopPoolSize(2));
    grpc = GrpcClient.client(clients);
    calls = new GrpcCalls(grpc, SocketAddress.inetSocketAddress(node.node().context().lifecycle().grpcPort(),
        "127.0.0.1"));
    base = "http://127.0.0.1:" + node.node().context().lifecycle().httpPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (grpc != null) {
      Await.result(grpc.close());
      Await.result(clients.close());
    }
    if (node != null) {
      node.close();
    }
  }

  private static String bearer(String tenant) throws Exception {
    return "Bearer " + AuthMatrixTest.jwt("HS256", AuthMatrixTest.claims("submit read").put("tenant", tenant),
        secret);
  }

  private static HttpResponse<String> list(String auth) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks?limit=1")).header("Authorization", auth)
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("REST: a bursting tenant gets 429 + Retry-After and at most the limit per second; another tenant"
      + " keeps full success")
  void restBurstIsLimitedPerTenant() throws Exception {
    String a = bearer("burst-a");
    HttpResponse<String> refused = null;
    for (int burst = 0; burst < 20 && refused == null; burst++) {
      long startSecond = System.currentTimeMillis() / 1000;
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/tasks?limit=1"))
            .header("Authorization", a).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      long windows = System.currentTimeMillis() / 1000 - startSecond + 1;
      long ok = sent.stream().filter(f -> f.join().statusCode() == 200).count();
      assertThat(ok).as("successes in %d window(s)", windows).isLessThanOrEqualTo(LIMIT * windows);
      assertThat(sent).allMatch(f -> f.join().statusCode() == 200 || f.join().statusCode() == 429);
      refused = sent.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).findFirst()
          .orElse(null);
    }
    assertThat(refused).as("40 requests at once exceed %d per second", LIMIT).isNotNull();
    assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
    assertThat(refused.body()).contains("\"code\":\"rate-limited\"").contains("\"status\":429");

    String b = bearer("calm-b");
    for (int i = 0; i < 3; i++) {
      assertThat(list(b).statusCode()).as("the other tenant is unaffected").isEqualTo(200);
    }
  }

  @Test
  @DisplayName("gRPC: a bursting tenant gets RESOURCE_EXHAUSTED with RetryInfo; another tenant's Run succeeds")
  void grpcBurstIsLimitedPerTenant() throws Exception {
    String a = bearer("burst-grpc-a");
    GrpcCalls.Outcome<?> refused = null;
    for (int burst = 0; burst < 20 && refused == null; burst++) {
      List<Future<GrpcCalls.Outcome<io.agentbus.grpc.v1.Task>>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sent.add(calls.call(a, TaskServiceGrpcClient.Get, GetTaskRequest.newBuilder().setTaskId("t-x").build(),
            30_000, r -> { }));
      }
      Await.result(Future.join(sent));
      for (var f : sent) {
        assertThat(f.result().status()).isIn(GrpcStatus.NOT_FOUND, GrpcStatus.RESOURCE_EXHAUSTED);
        if (f.result().status() == GrpcStatus.RESOURCE_EXHAUSTED) {
          refused = f.result();
        }
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo("rate-limited");
    RetryInfo retry = null;
    for (var any : refused.details().getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        retry = any.unpack(RetryInfo.class);
      }
    }
    assertThat(retry).isNotNull();
    long delayMs = retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000;
    assertThat(delayMs).isBetween(1L, 1000L);

    GrpcCalls.Outcome<io.agentbus.grpc.v1.Task> run = Await.result(calls.call(bearer("calm-grpc-b"),
        TaskServiceGrpcClient.Run, SubmitRequest.newBuilder().setAgentType("echo").setInputJson("{}").build(), 30_000,
        r -> { }));
    assertThat(run.single().getState()).isEqualTo(io.agentbus.grpc.v1.TaskState.TASK_STATE_SUCCEEDED);
  }
}
