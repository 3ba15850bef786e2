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

  HeldHttpServer() throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> held.add(new Held(request, Vertx.currentContext()))).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** Requests received so far (answered or not). */
  int received() {
    return held.size();
  }

  /** Answers every request held so far with {@code body}. */
  void release(String body) {
    held.forEach(h -> h.context.runOnContext(v -> {
      if (!h.request.response().ended()) {
        h.request.response().putHeader("content-type", "text/plain").end(body);
      }
    }));
  }

  private record Held(HttpServerRequest request, Context context) {
  }

  @Override
  public void close() {
    vertx.close();
  }
}
