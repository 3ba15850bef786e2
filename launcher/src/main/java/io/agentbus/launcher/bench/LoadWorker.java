package io.agentbus.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Keeps {@code slots} requests in flight from one event loop, each slot sending its next request as soon as the last
 * one completed (a closed loop), over its own HTTP/1.1 keep-alive pool of {@code slots} connections, no pipelining.
 */
final class LoadWorker extends VerticleBase {

  private static final long CONNECT_TIMEOUT_MS = 5_000;

  private final LoadPlan plan;
  private final ResponseCheck check;
  private final Tally tally;
  private final int slots;
  private HttpClient client;
  private RequestOptions request;

  LoadWorker(LoadPlan plan, ResponseCheck check, Tally tally, int slots) {
    this.plan = plan;
    this.check = check;
    this.tally = tally;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true).setPipelining(false).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(slots));
    request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(plan.target().toString())
        .setConnectTimeout(CONNECT_TIMEOUT_MS).setIdleTimeout(plan.requestTimeout().toMillis())
        .putHeader("Content-Type", "application/json");
    for (int i = 0; i < slots; i++) {
      next();
    }
    return Future.succeededFuture();
  }

  private void next() {
    long start = System.nanoTime();
    if (!tally.tryIssue(start)) {
      tally.slotIdle();
      return;
    }
    client.request(request)
        .compose(req -> req.send(plan.body()))
        .compose(resp -> resp.body().map(body -> check.errorKind(resp.statusCode(), body)))
        .onComplete(ar -> {
          tally.completed(start, System.nanoTime(), ar.succeeded() ? ar.result() : errorKind(ar.cause()));
          if (ar.succeeded()) {
            next();
          } else {
            // a failure may come back on the caller's stack: go round the event loop so a slot never recurses
            context.runOnContext(v -> next());
          }
        });
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  static String errorKind(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout";
    }
    if (failure instanceof ConnectException) {
      return "connection refused";
    }
    if (failure instanceof HttpClosedException) {
      return "connection closed";
    }
    if (failure.getClass().getSimpleName().contains("ConnectTimeout")) {
      return "connect timeout";
    }
    return failure.getClass().getSimpleName();
  }
}
