package io.agentbus.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * RFC 9457 problem details: every error the gateway answers is {@code application/problem+json} with {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance} and the stable {@code code} slug of
 * {@link ErrorCode}; validation problems add {@code errors: [{pointer, detail}]}.
 */
public final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";

  /** One invalid part of a request, named by a JSON pointer into the body (or the parameter name). */
  public record FieldError(String pointer, String detail) {
  }

  private Problems() {
  }

  static void send(RoutingContext ctx, ErrorCode code, String detail) {
    send(ctx, code, detail, List.of());
  }

  static void send(RoutingContext ctx, AgentbusException e) {
    send(ctx, e.code(), e.getMessage(), List.of());
  }

  /** Answers with the problem matching any failure: agentbus codes keep theirs, event-bus failures are mapped. */
  static void send(RoutingContext ctx, Throwable failure) {
    send(ctx, Failures.toException(failure));
  }

  static void send(RoutingContext ctx, ErrorCode code, String detail, List<FieldError> errors) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      if (!response.closed() && !response.ended()) {
        response.end();
      }
      return;
    }
    ObjectNode body = Json.object()
        .put("type", code.typeUri())
        .put("title", code.title())
        .put("status", code.httpStatus())
        .put("detail", detail == null ? code.title() : detail)
        .put("instance", ctx.request().path())
        .put("code", code.slug());
    if (!errors.isEmpty()) {
      ArrayNode list = body.putArray("errors");
      errors.forEach(e -> list.addObject().put("pointer", e.pointer()).put("detail", e.detail()));
    }
    if (code.httpStatus() == 503 || code.httpStatus() == 429) {
      response.putHeader("Retry-After", "1");
    }
    response.setStatusCode(code.httpStatus())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(io.vertx.core.buffer.Buffer.buffer(Json.toBytes(body)));
  }

  /** Maps the failures vertx-web raises itself (no route, wrong method, body too large...) to problems. */
  static void fromRouter(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof AgentbusException e) {
      send(ctx, e);
      return;
    }
    switch (ctx.statusCode()) {
      case 404 -> send(ctx, ErrorCode.NOT_FOUND, "no resource at " + ctx.request().path());
      case 405 -> send(ctx, ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> send(ctx, ErrorCode.BODY_TOO_LARGE, "the request body is larger than allowed");
      case 415 -> send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
      case 406 -> send(ctx, ErrorCode.NOT_ACCEPTABLE, null);
      case 400 -> send(ctx, ErrorCode.MALFORMED_JSON, failure == null ? "bad request" : failure.getMessage());
      default -> send(ctx, ErrorCode.INTERNAL, failure == null ? "unexpected error" : failure.toString());
    }
  }
}
