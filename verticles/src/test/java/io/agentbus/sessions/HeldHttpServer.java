package io.agentbus.sessions;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A loopback HTTP server that holds every request until the test releases it: a tool call that takes as long as the test wants. */
final class HeldHttpServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile String released;

  HeldHttpServer() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::take).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void take(HttpServerRequest request) {
    held.add(new Held(request, Vertx.currentContext()));
    String body = released;
    if (body != null) {
      answer(request, body);
    }
  }

  private static void answer(HttpServerRequest request, String body) {
    if (!request.response().ended() && !request.response().closed()) {
      request.response().putHeader("content-type", "text/plain").end(body);
    }
  }

  int port() {
    return server.actualPort();
  }

  /** Requests received so far (answered or not). */
  int received() {
    return held.size();
  }

  /** Answers every request held so far, and every later one at once, with {@code body}. */
  void release(String body) {
    released = body;
    held.forEach(h -> h.context.runOnContext(v -> answer(h.request, body)));
  }

  private record Held(HttpServerRequest request, Context context) {
  }

  @Override
  public void close() {
    vertx.close();
  }
}
