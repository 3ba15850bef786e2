package io.agentbus.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A stand-in for a node's HTTP API on 127.0.0.1: answers with the test's handler and remembers every request. */
final class FakeNode implements AutoCloseable {

  /** One request as it arrived. */
  record Seen(String method, String uri, MultiMap headers, String body) {
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  FakeNode(BiConsumer<HttpServerRequest, String> handler) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(body -> {
          requests.add(new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
              body.toString()));
          handler.accept(req, body.toString());
        }))
        .listen().await(10, TimeUnit.SECONDS);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** One SSE frame of a task event, as the node writes it. */
  static String frame(long seq, String type, String data) {
    return "id: " + seq + "\nevent: " + type + "\ndata: {\"task_id\":\"t1\",\"seq\":" + seq + ",\"type\":\"" + type
        + "\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":" + data + "}\n\n";
  }

  static void json(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status)
        .putHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json").end(body);
  }

  static void sse(HttpServerRequest req) {
    req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
