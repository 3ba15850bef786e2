package io.agentbus.gateway.grpc;

import io.agentbus.api.ErrorCode;
import io.agentbus.gateway.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;

/**
 * One unary or server-streaming call: reads its single request message (a message that does not decode is
 * INVALID_ARGUMENT, one over the size limit RESOURCE_EXHAUSTED, both with details), runs the handler once the client
 * half-closed, and ends the call exactly once. When the client's deadline (grpc-timeout) passes or the client
 * cancels, the {@link #onAbandon abandon action} runs once; a deadline then ends the call with DEADLINE_EXCEEDED.
 * Confined to the call's event loop.
 */
final class Call<Req, Resp> {

  /**
   * A reset this close to the client's deadline is the client giving up at its deadline (grpcio and grpc-java reset
   * the stream then, often a little before this server's own timer fires), not a cancel.
   */
  private static final long DEADLINE_SKEW_MS = 50;

  private final Vertx vertx;
  private final GrpcServerRequest<Req, Resp> request;
  private boolean ended;
  private long deadlineTimer = -1;
  private final java.util.List<AbandonAction> onAbandon = new java.util.ArrayList<>(1);
  private String abandonedBecause;
  private boolean abandonedByClient;
  private final long startedNanos = System.nanoTime();

  /** What to do when a call is given up by its client: receives the reason. */
  interface AbandonAction {
    void abandoned(String reason, boolean clientCancelled);
  }

  private final io.agentbus.gateway.auth.Principal principal;

  private Call(Vertx vertx, GrpcServerRequest<Req, Resp> request, io.agentbus.gateway.auth.Principal principal) {
    this.vertx = vertx;
    this.request = request;
    this.principal = principal;
  }

  /** Who the call acts for (from its credential). */
  io.agentbus.gateway.auth.Principal principal() {
    return principal;
  }

  /** Serves {@code method} with {@code handler}, which must end the call through the returned {@link Call}. */
  static <Req, Resp> void serve(Vertx vertx, GrpcServerRequest<Req, Resp> request,
                                io.agentbus.gateway.auth.Principal principal, ServiceMethod<Req, Resp> method,
                                int maxMessageBytes, GrpcMetrics metrics, BiConsumer<Call<Req, Resp>, Req> handler) {
    Call<Req, Resp> call = new Call<>(vertx, request, principal);
    Object[] received = new Object[1];
    request.invalidMessageHandler(invalid -> {
      metrics.oversized();
      call.fail(ErrorCode.BODY_TOO_LARGE, invalid instanceof MessageSizeOverflowException
          ? "the request message is larger than grpc.max-message-bytes (" + maxMessageBytes + ")"
          : "invalid request message: " + invalid.getMessage());
    });
    request.messageHandler(msg -> {
      if (received[0] != null) {
        call.fail(ErrorCode.INVALID_REQUEST, "this call takes exactly one request message");
        return;
      }
      try {
        received[0] = decode(method, msg, maxMessageBytes);
      } catch (RuntimeException | IOException e) {
        metrics.invalid();
        call.fail(GrpcStatus.INVALID_ARGUMENT, ErrorCode.INVALID_REQUEST.slug(),
            "the request message does not decode as " + method.methodName() + "'s request: " + e.getMessage());
      }
    });
    request.errorHandler(error -> call.clientGone(error == GrpcError.CANCELLED ? "client cancelled the call"
        : "the call was reset by the client (" + error + ")"));
    request.exceptionHandler(err -> call.clientGone("the client connection failed: " + err));
    request.endHandler(v -> {
      if (call.ended) {
        return;
      }
      if (received[0] == null) {
        call.fail(ErrorCode.INVALID_REQUEST, "no request message");
        return;
      }
      @SuppressWarnings("unchecked")
      Req req = (Req) received[0];
      handler.accept(call, req);
    });
    if (request.timeout() > 0) {
      call.deadlineTimer = vertx.setTimer(request.timeout(), t -> call.deadlinePassed(request.timeout()));
    }
  }

  // a gzip-compressed message is inflated (up to the size limit) before it is decoded
  static <Req> Req decode(ServiceMethod<Req, ?> method, GrpcMessage msg, int maxBytes) throws IOException {
    GrpcMessage identity = msg;
    if ("gzip".equals(msg.encoding())) {
      identity = GrpcMessage.message("identity", msg.format(), Buffer.buffer(gunzip(msg.payload(), maxBytes)));
    } else if (!"identity".equals(msg.encoding())) {
      throw new IOException("unsupported grpc-encoding " + msg.encoding());
    }
    if (identity.format() != WireFormat.PROTOBUF && identity.format() != WireFormat.JSON) {
      throw new IOException("unsupported wire format " + identity.format());
    }
    return method.decoder().decode(identity);
  }

  private static byte[] gunzip(Buffer payload, int maxBytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(payload.getBytes()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        if (out.size() > maxBytes) {
          throw new IOException("the inflated message is larger than " + maxBytes + " bytes");
        }
      }
      return out.toByteArray();
    }
  }

  /** The client's deadline in ms from the start of the call, or 0 when it gave none. */
  long timeoutMs() {
    return request.timeout();
  }

  io.vertx.core.MultiMap headers() {
    return request.headers();
  }

  GrpcServerResponse<Req, Resp> response() {
    return request.response();
  }

  /** True once the call has ended (answered, failed, cancelled by the client or past its deadline). */
  boolean ended() {
    return ended;
  }

  /**
   * Runs {@code action} when the client abandons the call (deadline or cancel) before it ended; at once if it
   * already did.
   */
  void onAbandon(AbandonAction action) {
    onAbandon.add(action);
    if (abandonedBecause != null) {
      action.abandoned(abandonedBecause, abandonedByClient);
    }
  }

  void reply(Resp message) {
    if (end()) {
      request.response().end(message);
    }
  }

  /** Writes one message of a server stream; false once the call ended. */
  boolean write(Resp message) {
    if (ended) {
      return false;
    }
    request.response().write(message);
    return true;
  }

  boolean writeQueueFull() {
    return request.response().writeQueueFull();
  }

  void drainHandler(io.vertx.core.Handler<Void> handler) {
    request.response().drainHandler(handler);
  }

  /** Ends a server stream with OK. */
  void end(Resp last) {
    if (end()) {
      if (last == null) {
        request.response().end();
      } else {
        request.response().end(last);
      }
    }
  }

  void fail(Throwable failure) {
    if (end()) {
      GrpcStatuses.fail(request.response(), failure);
    }
  }

  void fail(ErrorCode code, String message) {
    fail(code, message, List.of());
  }

  void fail(ErrorCode code, String message, List<Problems.FieldError> fields) {
    if (end()) {
      GrpcStatuses.fail(request.response(), code, message, fields);
    }
  }

  void fail(GrpcStatus status, String reason, String message) {
    if (end()) {
      GrpcStatuses.fail(request.response(), status, reason, message, List.of());
    }
  }

  private boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    return true;
  }

  private void deadlinePassed(long timeoutMs) {
    deadlineTimer = -1;
    if (ended) {
      return;
    }
    abandon("client deadline exceeded (" + timeoutMs + " ms)", false);
    fail(GrpcStatus.DEADLINE_EXCEEDED, "deadline-exceeded", "the client's deadline of " + timeoutMs + " ms passed"
        + (onAbandon.isEmpty() ? "" : "; the task was cancelled"));
  }

  private void clientGone(String reason) {
    if (ended) {
      return;
    }
    end();
    long timeoutMs = request.timeout();
    long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
    if (timeoutMs > 0 && elapsedMs >= timeoutMs - DEADLINE_SKEW_MS) {
      abandon("client deadline exceeded (" + timeoutMs + " ms)", false);
    } else {
      abandon(reason, true);
    }
  }

  private void abandon(String reason, boolean clientCancelled) {
    if (abandonedBecause != null) {
      return;
    }
    abandonedBecause = reason;
    abandonedByClient = clientCancelled;
    List.copyOf(onAbandon).forEach(a -> a.abandoned(reason, clientCancelled));
  }
}
