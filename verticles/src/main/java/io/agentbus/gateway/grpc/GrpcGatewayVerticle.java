package io.agentbus.gateway.grpc;

import io.agentbus.api.Addresses;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.gateway.JsonBodies;
import io.agentbus.grpc.v1.AgentSessionGrpcService;
import io.agentbus.grpc.v1.TaskServiceGrpcService;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.Scope;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The gRPC ingress of a node (HTTP/2, cleartext): agentbus.v1.TaskService and AgentSession, the standard
 * grpc.health.v1 Health service and server reflection (v1). Deployed once per event loop; the instances share the
 * port and one {@link SessionDirectory}.
 */
public class GrpcGatewayVerticle extends VerticleBase {

  private final NodeContext node;
  private final SessionDirectory sessions;
  private TaskEventFeed feed;
  private HttpServer server;

  public GrpcGatewayVerticle(NodeContext node, SessionDirectory sessions) {
    this.node = node;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    // reading (or creating) the key files is blocking
    return vertx.executeBlocking(() -> java.util.Optional.ofNullable(CredentialVerifier.load(vertx, node.config())))
        .compose(verifier -> serve(new GrpcAuth(verifier.orElse(null), new io.agentbus.gateway.limits.TenantRateLimiter(
            node.hazelcast(), context, node.config().getInt(Setting.LIMITS_TENANT_REQUESTS_PER_SECOND)))));
  }

  private Future<?> serve(GrpcAuth auth) {
    int maxMessage = node.config().getInt(Setting.GRPC_MAX_MESSAGE_BYTES);
    String instance = UUID.randomUUID().toString().substring(0, 8);
    GrpcMetrics metrics = new GrpcMetrics(node.registry(), instance);
    ProtoTasks protos = new ProtoTasks(new JsonBodies(node.config().getInt(Setting.HTTP_MAX_JSON_DEPTH), maxMessage));
    feed = new TaskEventFeed(vertx, Addresses.gatewayTaskEvents(node.nodeId(), "grpc-" + instance),
        node.config().getInt(Setting.GRPC_STREAM_BUFFER_EVENTS), node.config().getLong(Setting.HTTP_SSE_KEEPALIVE_MS),
        metrics);
    TaskCalls tasks = new TaskCalls(vertx, node, protos, feed, io.agentbus.gateway.SubmitRequests.submitAddress(node));
    SessionContext sessionContext = new SessionContext(vertx, node, metrics, sessions, protos);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(node.config().get(Setting.GRPC_HOST))
        .setPort(node.config().getInt(Setting.GRPC_PORT))
        .setTcpNoDelay(true)
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(node.config().getLong(Setting.GRPC_MAX_CONCURRENT_STREAMS))
            .setMaxHeaderListSize(16384));
    // building the services loads the gRPC server's classes: hundreds of milliseconds on a cold JVM, so off the loop
    return vertx.executeBlocking(() -> services(auth, maxMessage, metrics, tasks, sessionContext))
        .compose(grpc -> feed.start().compose(v -> vertx.createHttpServer(options)
            .connectionHandler(FlushConsolidation::install).requestHandler(grpc).listen()))
        .onSuccess(s -> {
          server = s;
          node.lifecycle().grpcListening(s.actualPort());
        });
  }

  private GrpcServer services(GrpcAuth auth, int maxMessage, GrpcMetrics metrics, TaskCalls tasks, SessionContext sessionContext) {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessage)
        .setScheduleDeadlineAutomatically(false));
    grpc.addService(Service.service(TaskServiceGrpcService.SERVICE_NAME, TaskServiceGrpcService.SERVICE_DESCRIPTOR)
        .bind(TaskServiceGrpcService.Run, unary(auth, Scope.SUBMIT, TaskServiceGrpcService.Run, maxMessage, metrics, tasks::run))
        .bind(TaskServiceGrpcService.Submit, unary(auth, Scope.SUBMIT, TaskServiceGrpcService.Submit, maxMessage, metrics, tasks::submit))
        .bind(TaskServiceGrpcService.Get, unary(auth, Scope.READ, TaskServiceGrpcService.Get, maxMessage, metrics, tasks::get))
        .bind(TaskServiceGrpcService.Cancel, unary(auth, Scope.SUBMIT, TaskServiceGrpcService.Cancel, maxMessage, metrics, tasks::cancel))
        .bind(TaskServiceGrpcService.RunBatch, unary(auth, Scope.SUBMIT, TaskServiceGrpcService.RunBatch, maxMessage, metrics,
            tasks::runBatch))
        .bind(TaskServiceGrpcService.Stream, unary(auth, Scope.READ, TaskServiceGrpcService.Stream, maxMessage, metrics, tasks::stream))
        .build());
    grpc.addService(Service.service(AgentSessionGrpcService.SERVICE_NAME, AgentSessionGrpcService.SERVICE_DESCRIPTOR)
        .bind(AgentSessionGrpcService.Connect, call -> auth.check(call, Scope.SERVE,
            (c, principal) -> new AgentSession(sessionContext, c, principal).start()))
        .build());
    HealthService health = HealthService.create(vertx);
    java.util.function.Supplier<Future<Boolean>> serving = () -> Future.succeededFuture(
        node.lifecycle().isReady() && !node.lifecycle().isDraining());
    health.register("", serving);
    health.register(TaskServiceGrpcService.SERVICE_NAME, serving);
    health.register(AgentSessionGrpcService.SERVICE_NAME, serving);
    grpc.addService(health);
    grpc.addService(ReflectionService.v1());
    return grpc;
  }

  private <Req, Resp> io.vertx.core.Handler<GrpcServerRequest<Req, Resp>> unary(GrpcAuth auth, Scope scope,
      ServiceMethod<Req, Resp> method, int maxMessage, GrpcMetrics metrics, BiConsumer<Call<Req, Resp>, Req> handler) {
    return request -> auth.check(request, scope,
        (r, principal) -> Call.serve(vertx, r, principal, method, maxMessage, metrics, handler));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return Future.join(closed, feed == null ? Future.succeededFuture() : feed.stop());
  }
}
