package io.agentbus.gateway.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Test calls with the Vert.x gRPC client: every message, the status, and the error details of a call. */
final class GrpcCalls {

  private final GrpcClient client;
  private final SocketAddress server;

  GrpcCalls(GrpcClient client, SocketAddress server) {
    this.client = client;
    this.server = server;
  }

  /** How a call ended. */
  record Outcome<T>(GrpcStatus status, String message, List<T> messages, MultiMap headers, MultiMap trailers) {

    T single() {
      if (status != GrpcStatus.OK || messages.size() != 1) {
        throw new AssertionError("expected OK with one message, got " + status + " (" + message + ") with "
            + messages.size() + " message(s)");
      }
      return messages.get(0);
    }

    com.google.rpc.Status details() {
      String bin = trailers.get(GrpcStatuses.DETAILS_TRAILER);
      if (bin == null) {
        bin = headers.get(GrpcStatuses.DETAILS_TRAILER);
      }
      if (bin == null) {
        throw new AssertionError("no " + GrpcStatuses.DETAILS_TRAILER + " on a call that ended " + status);
      }
      try {
        return com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(bin));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }

    /** The ErrorInfo reason: the agentbus error code. */
    String reason() throws InvalidProtocolBufferException {
      for (var any : details().getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          return any.unpack(ErrorInfo.class).getReason();
        }
      }
      throw new AssertionError("no ErrorInfo in the details");
    }

    List<String> badFields() throws InvalidProtocolBufferException {
      List<String> fields = new ArrayList<>();
      for (var any : details().getDetailsList()) {
        if (any.is(BadRequest.class)) {
          any.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
        }
      }
      return fields;
    }
  }

  <Req, Resp> Future<Outcome<Resp>> call(ServiceMethod<Resp, Req> method, Req request, long timeoutMs) {
    return call(method, request, timeoutMs, r -> { });
  }

  /** A call with one request message; {@code onResponse} may pause the response or record messages as they come. */
  <Req, Resp> Future<Outcome<Resp>> call(ServiceMethod<Resp, Req> method, Req request, long timeoutMs,
                                         Consumer<io.vertx.grpc.client.GrpcClientResponse<Req, Resp>> onResponse) {
    return call(null, method, request, timeoutMs, onResponse);
  }

  /** A call sending {@code authorization} metadata (null: none). */
  <Req, Resp> Future<Outcome<Resp>> call(String authorization, ServiceMethod<Resp, Req> method, Req request,
                                         long timeoutMs,
                                         Consumer<io.vertx.grpc.client.GrpcClientResponse<Req, Resp>> onResponse) {
    return client.request(server, method).compose(req -> {
      if (authorization != null) {
        req.headers().set("authorization", authorization);
      }
      if (timeoutMs > 0) {
        req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      }
      req.end(request);
      return outcome(req, onResponse);
    });
  }

  static <Req, Resp> Future<Outcome<Resp>> outcome(GrpcClientRequest<Req, Resp> req,
                                                   Consumer<io.vertx.grpc.client.GrpcClientResponse<Req, Resp>> onResponse) {
    return req.response().compose(resp -> {
      Promise<Outcome<Resp>> done = Promise.promise();
      List<Resp> messages = new ArrayList<>();
      resp.handler(messages::add);
      resp.endHandler(v -> done.tryComplete(new Outcome<>(resp.status(), resp.statusMessage(), messages,
          resp.headers(), resp.trailers())));
      resp.exceptionHandler(done::tryFail);
      resp.errorHandler(err -> done.tryFail(new IllegalStateException("stream reset: " + err)));
      onResponse.accept(resp);
      return done.future();
    });
  }
}
