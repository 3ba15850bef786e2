package io.agentbus.launcher.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The baseline of a benchmark: a bare Vert.x HTTP server on 127.0.0.1, in its own Vertx with {@code eventLoops}
 * event loops and one server instance per loop (as the node deploys its gateway), that reads each POST body and
 * answers 200 with a small JSON task in state SUCCEEDED. Anything but POST gets 405. Nothing else happens, so what a
 * benchmark measures against it is the cost of HTTP on this machine.
 */
public final class BareHandlerServer implements AutoCloseable {

  /** The answer to every POST. */
  public static final String ANSWER = "{\"id\":\"bare\",\"state\":\"SUCCEEDED\",\"result\":{}}";
  private static final String HOST = "127.0.0.1";
  private static final long START_STOP_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final int port;

  private BareHandlerServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** Starts the server on a free port; blocks until it listens on every event loop. */
  public static BareHandlerServer start(int eventLoops) throws InterruptedException, TimeoutException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      // Vert.x shares a port among servers that ask for the same one (not among those asking for 0), so pick a
      // free port first and give it to one server instance per event loop
      int port = freePort();
      await(vertx.deployVerticle(() -> new Handler(port), new DeploymentOptions().setInstances(eventLoops)));
      return new BareHandlerServer(vertx, port);
    } catch (RuntimeException | TimeoutException e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** This server's address with the given path and query, e.g. {@code /v1/tasks?wait=30}. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://" + HOST + ":" + port + pathAndQuery);
  }

  @Override
  public void close() throws InterruptedException, TimeoutException {
    await(vertx.close());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  private static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
  }

  private static final class Handler extends VerticleBase {

    private final int port;
    private final Buffer answer = Buffer.buffer(ANSWER);

    Handler(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port).setTcpNoDelay(true))
          .requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest request) {
      if (request.method() != HttpMethod.POST) {
        request.response().setStatusCode(405).end();
        return;
      }
      request.body().onComplete(ar -> request.response().putHeader("Content-Type", "application/json").end(answer));
    }
  }
}
