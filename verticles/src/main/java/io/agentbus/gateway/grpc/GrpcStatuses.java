package io.agentbus.gateway.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.gateway.Problems;
import io.agentbus.grpc.v1.Problem;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Base64;
import java.util.List;

/**
 * agentbus failures as gRPC statuses: the status code mapped from the {@link ErrorCode}, the detail as the status
 * message, and a {@code google.rpc.Status} in {@code grpc-status-details-bin} whose details hold an
 * {@code ErrorInfo} (reason: the error code's slug, domain {@value #DOMAIN}) and, for invalid fields, a
 * {@code BadRequest}.
 */
final class GrpcStatuses {

  static final String DOMAIN = "agentbus.io";
  static final String DETAILS_TRAILER = "grpc-status-details-bin";

  private GrpcStatuses() {
  }

  static GrpcStatus of(ErrorCode code) {
    return switch (code) {
      case MALFORMED_JSON, JSON_TOO_DEEP, INVALID_REQUEST, INVALID_HEADER, INVALID_PARAMETER, UNSUPPORTED_MEDIA_TYPE,
          NOT_ACCEPTABLE, IDEMPOTENCY_KEY_REUSED, INVALID_TOOL_ARGUMENTS -> GrpcStatus.INVALID_ARGUMENT;
      case NOT_FOUND, TASK_NOT_FOUND, UNKNOWN_TOOL -> GrpcStatus.NOT_FOUND;
      case UNKNOWN_AGENT_TYPE, TASK_ALREADY_TERMINAL, IDEMPOTENT_TASK_EXPIRED, EVENTS_EXPIRED, ATTEMPT_FENCED,
          TASK_CANCELLED -> GrpcStatus.FAILED_PRECONDITION;
      case IDEMPOTENCY_KEY_IN_PROGRESS, TOOL_CALL_CONFLICT, SESSION_BUSY, SESSION_VERSION_CONFLICT ->
          GrpcStatus.ABORTED;
      case TOOL_IN_DOUBT -> GrpcStatus.UNKNOWN;
      case BODY_TOO_LARGE, RATE_LIMITED, QUEUE_FULL, AGENT_AT_CAPACITY, TOO_MANY_EVENTS, SESSION_STATE_TOO_LARGE ->
          GrpcStatus.RESOURCE_EXHAUSTED;
      case NODE_DRAINING, LOG_UNAVAILABLE, UNAVAILABLE, NO_AGENT_AVAILABLE, TOOL_UNAVAILABLE, TOOL_BUSY,
          TOOL_INTENT_NOT_DURABLE, NODE_CUT_OFF -> GrpcStatus.UNAVAILABLE;
      case UPSTREAM_TIMEOUT, TASK_TIMED_OUT, TOOL_TIMEOUT -> GrpcStatus.DEADLINE_EXCEEDED;
      case TOOL_DENIED, FORBIDDEN -> GrpcStatus.PERMISSION_DENIED;
      case UNAUTHENTICATED -> GrpcStatus.UNAUTHENTICATED;
      case METHOD_NOT_ALLOWED -> GrpcStatus.UNIMPLEMENTED;
      case TOOL_FAILED, INTERNAL -> GrpcStatus.INTERNAL;
    };
  }

  /** Ends a call with the status of {@code failure} (an agentbus exception or any event-bus failure). */
  static void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
    AgentbusException e = Failures.toException(failure);
    fail(response, of(e.code()), e.code().slug(), e.getMessage(), List.of());
  }

  static void fail(GrpcServerResponse<?, ?> response, ErrorCode code, String message, List<Problems.FieldError> fields) {
    fail(response, of(code), code.slug(), message, fields);
  }

  /** Ends a call RESOURCE_EXHAUSTED for a tenant over its rate limit, with a RetryInfo saying when to retry. */
  static void rateLimited(GrpcServerResponse<?, ?> response, String message, long retryAfterMs) {
    com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
        .setCode(GrpcStatus.RESOURCE_EXHAUSTED.code).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(ErrorCode.RATE_LIMITED.slug()).setDomain(DOMAIN).build()))
        .addDetails(Any.pack(com.google.rpc.RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration
            .newBuilder().setSeconds(retryAfterMs / 1000).setNanos((int) (retryAfterMs % 1000) * 1_000_000)).build()))
        .build();
    try {
      response.trailers().set(DETAILS_TRAILER, Base64.getEncoder().withoutPadding()
          .encodeToString(details.toByteArray()));
      response.status(GrpcStatus.RESOURCE_EXHAUSTED).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      // the client went away meanwhile
    }
  }

  /** Ends a call with {@code status}; {@code reason} is the ErrorInfo reason (an error code slug). */
  static void fail(GrpcServerResponse<?, ?> response, GrpcStatus status, String reason, String message,
                   List<Problems.FieldError> fields) {
    com.google.rpc.Status.Builder details = com.google.rpc.Status.newBuilder()
        .setCode(status.code).setMessage(message == null ? "" : message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()));
    if (!fields.isEmpty()) {
      BadRequest.Builder bad = BadRequest.newBuilder();
      fields.forEach(f -> bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
          .setField(fieldPath(f.pointer())).setDescription(f.detail())));
      details.addDetails(Any.pack(bad.build()));
    }
    try {
      response.trailers().set(DETAILS_TRAILER, Base64.getEncoder().withoutPadding()
          .encodeToString(details.build().toByteArray()));
      response.status(status).statusMessage(message == null ? reason : message).end();
    } catch (IllegalStateException alreadyEnded) {
      // the call ended meanwhile (the client went away, or a reply raced a deadline): nothing left to tell
    }
  }

  /** A problem as a message field (RunBatch results, session acks). */
  static Problem problem(Throwable failure) {
    AgentbusException e = Failures.toException(failure);
    return problem(e.code(), e.getMessage());
  }

  static Problem problem(ErrorCode code, String message) {
    return Problem.newBuilder().setStatus(of(code).code).setCode(code.slug())
        .setMessage(message == null ? code.title() : message).build();
  }

  // a JSON pointer into the request as a protobuf field path: /metadata/k -> metadata.k, /agent_type -> agent_type
  private static String fieldPath(String pointer) {
    String path = pointer.startsWith("/") ? pointer.substring(1) : pointer;
    path = path.replace("/", ".").replace("~1", "/").replace("~0", "~");
    return switch (path) {
      case "input" -> "input_json";
      default -> path;
    };
  }
}
