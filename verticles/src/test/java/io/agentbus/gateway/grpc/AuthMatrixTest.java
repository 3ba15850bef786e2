package io.agentbus.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentbus.api.Json;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.DevKey;
import io.agentbus.gateway.auth.Scope;
import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.AgentSessionGrpcClient;
import io.agentbus.grpc.v1.GetTaskRequest;
import io.agentbus.grpc.v1.StreamRequest;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.TaskServiceGrpcClient;
import io.agentbus.testing.Await;
import io.agentbus.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The auth matrix of a node in auth.mode=jwt (HS256 and RS256 accepted, one API key): every kind of bad credential
 * is refused on REST, SSE and gRPC (401 problem / UNAUTHENTICATED), a credential without the needed scope is
 * refused (403 / PERMISSION_DENIED), good ones pass, and no credential ever shows up in the node's log.
 */
class AuthMatrixTest {

  private static final String ISSUER = "test-issuer";
  private static final String AUDIENCE = "test-audience";
  private static final String API_KEY = "abk_" + "k".repeat(40);
  private static TestNode node;
  private static NodeConfig config;
  private static String secret;
  private static String publicPem;
  private static JWTAuth rsaSigner;
  private static Vertx clients;
  private static GrpcClient grpc;
  private static GrpcCalls calls;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static String base;
  private static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private static final List<String> credentialsUsed = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    Path dir = Files.createTempDirectory("agentbus-auth-");
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair rsa = gen.generateKeyPair();
    publicPem = pem("PUBLIC KEY", rsa.getPublic().getEncoded());
    Files.writeString(dir.resolve("rsa.pem"), publicPem);
    Files.writeString(dir.resolve("api-keys"), "# test keys\n" + CredentialVerifier.sha256(API_KEY)
        + " tenant-k svc-1 submit,read\n");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Setting.AUTH_MODE.key(), "jwt");
    settings.put(Setting.AUTH_JWT_ISSUER.key(), ISSUER);
    settings.put(Setting.AUTH_JWT_AUDIENCE.key(), AUDIENCE);
    settings.put(Setting.AUTH_JWT_ALGORITHMS.key(), "HS256,RS256");
    settings.put(Setting.AUTH_JWT_HMAC_KEY_FILE.key(), dir.resolve("hs256.key").toString());
    settings.put(Setting.AUTH_JWT_PUBLIC_KEY_FILE.key(), dir.resolve("rsa.pem").toString());
    settings.put(Setting.AUTH_API_KEY_FILE.key(), dir.resolve("api-keys").toString());
    node = TestNode.start(settings);
    config = node.node().context().config();
    secret = Files.readString(dir.resolve("hs256.key")).trim();
    clients = Vertx.vertx(io.agentbus.testing.BlockedEventLoopGuard.options().setEventLoopPoolSize(2));
    rsaSigner = JWTAuth.create(clients, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setBuffer(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))));
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
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
  }

  @AfterEach
  void noBlockedEventLoop() {
    node.assertNoBlockedEventLoop();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A JWT with exactly these header and claims, HMAC-SHA256 signed with {@code key} (null: no signature). */
  static String jwt(String alg, JsonObject claims, String key) throws Exception {
    String signing = b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "." + b64(claims.encode());
    if (key == null) {
      return signing + ".";
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signing + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(signing.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonObject claims(String scope) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "user-1").put("tenant", "tenant-a")
        .put("scope", scope).put("iat", now).put("exp", now + 600);
  }

  static String bearer(String credential) {
    credentialsUsed.add(credential);
    return "Bearer " + credential;
  }

  /** Every kind of bad credential: the Authorization header value (null: none sent). */
  static Stream<Arguments> badCredentials() throws Exception {
    String all = "submit read";
    long past = System.currentTimeMillis() / 1000 - 3600;
    return Stream.of(
        Arguments.of("no credential", null),
        Arguments.of("not a bearer", "Basic dXNlcjpwYXNz"),
        Arguments.of("garbage token", bearer("not.a.jwt")),
        Arguments.of("alg none", bearer(jwt("none", claims(all), null))),
        Arguments.of("alg none with a signature", bearer(jwt("none", claims(all), secret))),
        Arguments.of("wrong key", bearer(jwt("HS256", claims(all), "x".repeat(64)))),
        Arguments.of("expired", bearer(jwt("HS256", claims(all).put("iat", past - 60).put("exp", past), secret))),
        Arguments.of("no expiry", bearer(jwt("HS256", claims(all).put("exp", null), secret))),
        Arguments.of("wrong issuer", bearer(jwt("HS256", claims(all).put("iss", "someone-else"), secret))),
        Arguments.of("no issuer", bearer(jwt("HS256", claims(all).put("iss", null), secret))),
        Arguments.of("wrong audience", bearer(jwt("HS256", claims(all).put("aud", "other-service"), secret))),
        Arguments.of("no tenant", bearer(jwt("HS256", claims(all).put("tenant", null), secret))),
        Arguments.of("bad tenant", bearer(jwt("HS256", claims(all).put("tenant", "a/b"), secret))),
        Arguments.of("key confusion: HS256 signed with the RSA public key", bearer(jwt("HS256", claims(all),
            publicPem))),
        Arguments.of("tampered claims", bearer(tampered(jwt("HS256", claims(all), secret)))),
        Arguments.of("unknown API key", bearer("abk_" + "z".repeat(40))));
  }

  private static String tampered(String token) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + b64(claims("submit read operator").put("tenant", "tenant-b").encode()) + "." + parts[2];
  }

  static HttpResponse<String> httpCall(String method, String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String ECHO = "{\"agent_type\":\"echo\",\"input\":{\"hello\":\"world\"}}";

  private static SubmitRequest echo() {
    return SubmitRequest.newBuilder().setAgentType("echo").setInputJson(Json.toString(Map.of("hello", "grpc")))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentials")
  @DisplayName("a bad credential gets 401 problem on REST submit/get/list and SSE, UNAUTHENTICATED on gRPC")
  void badCredentialRefusedEverywhere(String kind, String authorization) throws Exception {
    for (String[] req : new String[][] {{"POST", "/v1/tasks", ECHO}, {"GET", "/v1/tasks/t-1", null},
        {"GET", "/v1/tasks", null}, {"GET", "/v1/tasks/t-1/events", null}, {"DELETE", "/v1/tasks/t-1", null}}) {
      HttpResponse<String> r = httpCall(req[0], req[1], authorization, req[2]);
      assertThat(r.statusCode()).as(kind + " " + req[0] + " " + req[1]).isEqualTo(401);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
      assertThat(r.body()).contains("\"code\":\"unauthenticated\"");
    }
    GrpcCalls.Outcome<?> run = Await.result(calls.call(authorization, TaskServiceGrpcClient.Run, echo(), 30_000,
        r -> { }));
    assertThat(run.status()).as(kind).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(run.reason()).isEqualTo("unauthenticated");
    GrpcCalls.Outcome<?> stream = Await.result(calls.call(authorization, TaskServiceGrpcClient.Stream,
        StreamRequest.newBuilder().setFollow(io.agentbus.grpc.v1.FollowTask.newBuilder().setTaskId("t-1")).build(), 30_000, r -> { }));
    assertThat(stream.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    GrpcCalls.Outcome<?> session = Await.result(calls.call(authorization, AgentSessionGrpcClient.Connect,
        AgentMessage.getDefaultInstance(), 30_000, r -> { }));
    assertThat(session.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  @DisplayName("good credentials pass: the generated HS256 development token, an RS256 token, an API key")
  void goodCredentialsPass() throws Exception {
    String dev = DevKey.token(clients, config, "tenant-a", "dev", Set.of(Scope.SUBMIT, Scope.READ), 300);
    String rs = rsaSigner.generateToken(new JsonObject().put("sub", "svc-rs").put("tenant", "tenant-a")
        .put("scopes", List.of("submit", "read")), new JWTOptions().setAlgorithm("RS256").setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)).setExpiresInSeconds(300));
    for (String credential : List.of(dev, rs, API_KEY)) {
      String auth = bearer(credential);
      HttpResponse<String> submitted = httpCall("POST", "/v1/tasks?wait=30", auth, ECHO);
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
      String id = new JsonObject(submitted.body()).getString("id");
      assertThat(httpCall("GET", "/v1/tasks/" + id, auth, null).statusCode()).isEqualTo(200);
      assertThat(httpCall("GET", "/v1/tasks", auth, null).statusCode()).isEqualTo(200);
      HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + id
          + "/events")).header("Authorization", auth).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.body()).contains("event: succeeded");
      GrpcCalls.Outcome<io.agentbus.grpc.v1.Task> run = Await.result(calls.call(auth, TaskServiceGrpcClient.Run,
          echo(), 30_000, r -> { }));
      assertThat(run.single().getState()).isEqualTo(io.agentbus.grpc.v1.TaskState.TASK_STATE_SUCCEEDED);
      GrpcCalls.Outcome<io.agentbus.grpc.v1.Task> got = Await.result(calls.call(auth, TaskServiceGrpcClient.Get,
          GetTaskRequest.newBuilder().setTaskId(id).build(), 30_000, r -> { }));
      assertThat(got.single().getId()).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("a credential without the needed scope gets 403 / PERMISSION_DENIED: read-only cannot submit, an agent"
      + " (serve) cannot submit or read, a client cannot serve, only an operator reads /metrics and /v1/cluster")
  void scopesSeparateClientsAgentsOperators() throws Exception {
    String readOnly = bearer(jwt("HS256", claims("read"), secret));
    String submitOnly = bearer(jwt("HS256", claims("submit"), secret));
    String agent = bearer(jwt("HS256", claims("serve"), secret));
    String client = bearer(jwt("HS256", claims("submit read"), secret));
    String operator = bearer(jwt("HS256", claims("operator"), secret));

    assertForbidden(httpCall("POST", "/v1/tasks", readOnly, ECHO));
    assertForbidden(httpCall("DELETE", "/v1/tasks/t-1", readOnly, null));
    assertForbidden(httpCall("GET", "/v1/tasks/t-1", submitOnly, null));
    assertForbidden(httpCall("GET", "/v1/tasks/t-1/events", submitOnly, null));
    assertForbidden(httpCall("POST", "/v1/tasks", agent, ECHO));
    assertForbidden(httpCall("GET", "/v1/tasks", agent, null));
    assertForbidden(httpCall("GET", "/metrics", client, null));
    assertForbidden(httpCall("GET", "/v1/cluster", client, null));
    assertThat(httpCall("GET", "/metrics", operator, null).statusCode()).isEqualTo(200);
    assertThat(httpCall("GET", "/v1/cluster", operator, null).statusCode()).isEqualTo(200);
    assertThat(httpCall("GET", "/health", null, null).statusCode()).as("probes stay open").isEqualTo(200);

    GrpcCalls.Outcome<?> run = Await.result(calls.call(readOnly, TaskServiceGrpcClient.Run, echo(), 30_000, r -> { }));
    assertThat(run.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(run.reason()).isEqualTo("forbidden");
    GrpcCalls.Outcome<?> streamSubmit = Await.result(calls.call(readOnly, TaskServiceGrpcClient.Stream,
        StreamRequest.newBuilder().setSubmit(echo()).build(), 30_000, r -> { }));
    assertThat(streamSubmit.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    GrpcCalls.Outcome<?> get = Await.result(calls.call(agent, TaskServiceGrpcClient.Get,
        GetTaskRequest.newBuilder().setTaskId("t-1").build(), 30_000, r -> { }));
    assertThat(get.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    GrpcCalls.Outcome<?> session = Await.result(calls.call(client, AgentSessionGrpcClient.Connect,
        AgentMessage.getDefaultInstance(), 30_000, r -> { }));
    assertThat(session.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    GrpcCalls.Outcome<?> served = Await.result(calls.call(agent, AgentSessionGrpcClient.Connect,
        AgentMessage.getDefaultInstance(), 30_000, r -> { }));
    assertThat(served.status()).as("the serve scope gets past the credential check to the session's own rules")
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  private static void assertForbidden(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("\"code\":\"forbidden\"");
  }

  @Test
  @DisplayName("no credential, good or bad, appears in the node's log")
  void credentialsNeverLogged() throws Exception {
    badCredentialRefusedEverywhere("again, for the log", bearer(jwt("HS256", claims("read").put("exp", 1), secret)));
    goodCredentialsPass();
    List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).isNotEmpty();
    for (String credential : credentialsUsed) {
      String signaturePart = credential.substring(Math.max(0, credential.length() - 20));
      assertThat(lines).noneMatch(l -> l.contains(credential) || l.contains(signaturePart));
    }
  }

  @Test
  @DisplayName("another tenant's task id is answered like a missing one on REST get/cancel/events/list and gRPC"
      + " Get/Cancel/Stream; the same Idempotency-Key in two tenants gives two tasks")
  void crossTenantLookupsAreNotFound() throws Exception {
    String a = bearer(jwt("HS256", claims("submit read"), secret));
    String b = bearer(jwt("HS256", claims("submit read").put("tenant", "tenant-b"), secret));
    HttpResponse<String> submitted = httpCall("POST", "/v1/tasks?wait=30", a, ECHO);
    assertThat(submitted.statusCode()).isEqualTo(200);
    String id = new JsonObject(submitted.body()).getString("id");
    // same node part (the owner is asked), a ULID no task has
    String missing = id.substring(0, 10) + (id.charAt(10) == 'z' ? 'y' : 'z') + id.substring(11);

    for (String[] req : new String[][] {{"GET", "/v1/tasks/%s"}, {"DELETE", "/v1/tasks/%s"},
        {"POST", "/v1/tasks/%s/cancel"}, {"GET", "/v1/tasks/%s/events"}}) {
      HttpResponse<String> theirs = httpCall(req[0], req[1].formatted(id), b, req[0].equals("POST") ? "{}" : null);
      HttpResponse<String> none = httpCall(req[0], req[1].formatted(missing), b, req[0].equals("POST") ? "{}" : null);
      assertThat(theirs.statusCode()).as(req[0] + " " + req[1]).isEqualTo(404);
      assertThat(none.statusCode()).isEqualTo(404);
      JsonObject theirsBody = new JsonObject(theirs.body());
      assertThat(theirsBody.getString("code")).isEqualTo("task-not-found");
      assertThat(theirsBody.getString("detail")).isEqualTo(
          new JsonObject(none.body()).getString("detail").replace(missing, id));
    }
    assertThat(httpCall("GET", "/v1/tasks?limit=1000", b, null).body()).doesNotContain(id);
    assertThat(httpCall("GET", "/v1/tasks?limit=1000", a, null).body()).contains(id);
    JsonObject own = new JsonObject(httpCall("GET", "/v1/tasks/" + id, a, null).body());
    assertThat(own.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(own.getJsonObject("metadata").getString("agentbus.tenant")).isEqualTo("tenant-a");

    GrpcCalls.Outcome<?> get = Await.result(calls.call(b, TaskServiceGrpcClient.Get,
        GetTaskRequest.newBuilder().setTaskId(id).build(), 30_000, r -> { }));
    assertThat(get.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(get.reason()).isEqualTo("task-not-found");
    GrpcCalls.Outcome<?> cancel = Await.result(calls.call(b, TaskServiceGrpcClient.Cancel,
        io.agentbus.grpc.v1.CancelTaskRequest.newBuilder().setTaskId(id).build(), 30_000, r -> { }));
    assertThat(cancel.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    GrpcCalls.Outcome<?> follow = Await.result(calls.call(b, TaskServiceGrpcClient.Stream,
        StreamRequest.newBuilder().setFollow(io.agentbus.grpc.v1.FollowTask.newBuilder().setTaskId(id)).build(),
        30_000, r -> { }));
    assertThat(follow.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(follow.messages()).isEmpty();
    GrpcCalls.Outcome<io.agentbus.grpc.v1.Task> mine = Await.result(calls.call(a, TaskServiceGrpcClient.Get,
        GetTaskRequest.newBuilder().setTaskId(id).build(), 30_000, r -> { }));
    assertThat(mine.single().getId()).isEqualTo(id);

    String key = "same-key-" + System.nanoTime();
    String idA = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
        .header("Authorization", a).header("Idempotency-Key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ECHO)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .getString("id");
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
        .header("Authorization", b).header("Idempotency-Key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ECHO)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isIn(200, 202);
    assertThat(new JsonObject(again.body()).getString("id")).isNotEqualTo(idA);
  }

  @Test
  @DisplayName("tenants never share a session or an idempotency key: the same session_id in two tenants is two"
      + " sessions, and no key one tenant can send names another tenant's")
  void sessionsAndKeysAreTenantScoped() throws Exception {
    String a = bearer(jwt("HS256", claims("submit read"), secret));
    String b = bearer(jwt("HS256", claims("submit read").put("tenant", "tenant-b"), secret));
    String session = "shared-" + System.nanoTime();
    String slow = "{\"agent_type\":\"echo\",\"input\":{\"delay_ms\":4000},\"session_id\":\"" + session
        + "\",\"on_busy\":\"reject\"}";
    HttpResponse<String> running = httpCall("POST", "/v1/tasks", a, slow);
    assertThat(running.statusCode()).as(running.body()).isEqualTo(202);

    HttpResponse<String> sameTenant = httpCall("POST", "/v1/tasks", a, slow);
    assertThat(sameTenant.statusCode()).as(sameTenant.body()).isEqualTo(409);
    assertThat(new JsonObject(sameTenant.body()).getString("code")).isEqualTo("session-busy");
    HttpResponse<String> otherTenant = httpCall("POST", "/v1/tasks", b, slow);
    assertThat(otherTenant.statusCode()).as("tenant-b's session of the same name is free: " + otherTenant.body())
        .isEqualTo(202);
    assertThat(new JsonObject(otherTenant.body()).getString("detail")).isNull();

    String key = "k-" + System.nanoTime();
    String idA = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
        .header("Authorization", a).header("Idempotency-Key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ECHO)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .getString("id");
    String other = bearer(jwt("HS256", claims("submit read").put("tenant", "default"), secret));
    for (String forged : List.of("tenant-a:" + key, "tenant-a " + key)) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
          .header("Authorization", other).header("Idempotency-Key", forged).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(ECHO)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).as(forged).doesNotContain(idA);
      assertThat(r.statusCode()).as(forged + ": " + r.body()).isIn(200, 202, 400);
    }
  }
}
