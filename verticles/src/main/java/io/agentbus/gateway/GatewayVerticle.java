package io.agentbus.gateway;

import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.Scope;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every HTTP ingress of a node: the REST task API, task events as SSE, agents, tools, health, readiness and
 * metrics. Size and depth limits hold before a request reaches anything else; every error is a problem+json.
 * Deployed once per event loop; the instances share the port.
 */
public class GatewayVerticle extends VerticleBase {

  private final NodeContext node;
  private EventStreams streams;
  private HttpServer server;
  private java.util.UUID memberListener;

  public GatewayVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    // reading (or creating) the key files is blocking
    return vertx.executeBlocking(() -> java.util.Optional.ofNullable(CredentialVerifier.load(vertx, node.config())))
        .compose(verifier -> serve(verifier.orElse(null)));
  }

  private Future<?> serve(CredentialVerifier verifier) {
    int maxBody = node.config().getInt(Setting.HTTP_MAX_BODY_BYTES);
    JsonBodies bodies = new JsonBodies(node.config().getInt(Setting.HTTP_MAX_JSON_DEPTH), maxBody);
    TaskRoutes tasks = new TaskRoutes(vertx, node, bodies);
    InfoRoutes info = new InfoRoutes(vertx, node);
    streams = new EventStreams(vertx, node);

    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody).setHandleFileUploads(false);
    HttpAuth auth = new HttpAuth(verifier, new io.agentbus.gateway.limits.TenantRateLimiter(node.hazelcast(), context,
        node.config().getInt(Setting.LIMITS_TENANT_REQUESTS_PER_SECOND)));
    TaskOwnership owned = new TaskOwnership(vertx);
    router.post("/v1/tasks").handler(body).handler(auth.require(Scope.SUBMIT)).handler(tasks::submit);
    router.get("/v1/tasks").handler(auth.require(Scope.READ)).handler(tasks::list);
    router.get("/v1/tasks/:id").handler(auth.require(Scope.READ)).handler(owned::route).handler(tasks::get);
    router.delete("/v1/tasks/:id").handler(auth.require(Scope.SUBMIT)).handler(owned::route).handler(tasks::cancel);
    router.post("/v1/tasks/:id/cancel").handler(body).handler(auth.require(Scope.SUBMIT)).handler(owned::route).handler(tasks::cancel);
    router.get("/v1/tasks/:id/events").handler(auth.require(Scope.READ)).handler(owned::route).handler(streams::open);
    router.get("/v1/agents").handler(auth.require(Scope.READ)).handler(info::agents);
    router.get("/v1/tools").handler(auth.require(Scope.READ)).handler(info::tools);
    router.get("/v1/cluster").handler(auth.require(Scope.OPERATOR)).handler(new ClusterRoute(vertx, node)::handle);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(node.health()));
    router.get("/ready").handler(info::ready);
    router.get("/metrics").handler(auth.require(Scope.OPERATOR)).handler(info::metrics);
    router.route().failureHandler(Problems::fromRouter);
    router.errorHandler(405, Problems::fromRouter);
    router.errorHandler(404, Problems::fromRouter);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(node.config().get(Setting.HTTP_HOST))
        .setPort(node.config().getInt(Setting.HTTP_PORT))
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16384)
        .setTcpNoDelay(true);
    memberListener = node.hazelcast().getCluster().addMembershipListener(new OwnerLossWatcher(context, streams));
    return streams.start()
        .compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
        .onSuccess(s -> {
          server = s;
          node.lifecycle().httpListening(s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    if (memberListener != null) {
      node.hazelcast().getCluster().removeMembershipListener(memberListener);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return Future.join(closed, streams == null ? Future.succeededFuture() : streams.stop());
  }
}
