package io.agentbus.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Every failure agentbus reports, with one stable machine-readable slug, the numeric event-bus failure code and
 * the HTTP status it maps to. Event-bus handlers fail with {@code message.fail(code.code(), detail)}; callers read
 * it back with {@link #of(int)}. HTTP problem bodies carry the slug in {@code code} and in the {@code type} URI.
 */
public enum ErrorCode {
  MALFORMED_JSON(1001, 400, "malformed-json", "The request body is not valid JSON"),
  JSON_TOO_DEEP(1002, 400, "json-too-deep", "The JSON document is nested deeper than allowed"),
  BODY_TOO_LARGE(1003, 413, "body-too-large", "The request body is larger than allowed"),
  UNSUPPORTED_MEDIA_TYPE(1004, 415, "unsupported-media-type", "The request body must be application/json"),
  INVALID_REQUEST(1005, 422, "invalid-request", "The request has invalid or missing fields"),
  UNKNOWN_AGENT_TYPE(1006, 422, "unknown-agent-type", "No agent of the requested type is registered"),
  NOT_FOUND(1007, 404, "not-found", "No such resource"),
  METHOD_NOT_ALLOWED(1008, 405, "method-not-allowed", "The method is not allowed on this resource"),
  NOT_ACCEPTABLE(1009, 406, "not-acceptable", "The requested representation is not available"),
  INVALID_HEADER(1010, 400, "invalid-header", "A request header has an invalid value"),
  INVALID_PARAMETER(1011, 400, "invalid-parameter", "A query parameter has an invalid value"),
  UNAUTHENTICATED(1012, 401, "unauthenticated", "The request carries no valid credential"),
  FORBIDDEN(1013, 403, "forbidden", "The credential lacks the scope this request needs"),
  RATE_LIMITED(1014, 429, "rate-limited", "The tenant made more requests than its rate limit allows"),

  TASK_NOT_FOUND(2001, 404, "task-not-found", "No task with this id"),
  TASK_ALREADY_TERMINAL(2002, 409, "task-already-terminal", "The task has already finished"),
  IDEMPOTENCY_KEY_REUSED(2003, 422, "idempotency-key-reused",
      "The Idempotency-Key was already used with a different request"),
  IDEMPOTENCY_KEY_IN_PROGRESS(2004, 409, "idempotency-key-in-progress",
      "A request with this Idempotency-Key is still being accepted; retry shortly"),
  QUEUE_FULL(2005, 503, "queue-full", "Too many tasks are waiting for an agent of this type"),
  NODE_DRAINING(2006, 503, "node-draining", "The node is shutting down and accepts no new tasks"),
  LOG_UNAVAILABLE(2007, 503, "log-unavailable", "The task could not be made durable; it was not accepted"),
  ATTEMPT_FENCED(2008, 409, "attempt-fenced", "This attempt of the task is no longer current"),
  AGENT_AT_CAPACITY(2009, 503, "agent-at-capacity", "The agent is running as many tasks as it can"),
  NO_AGENT_AVAILABLE(2010, 503, "no-agent-available", "No live agent of the requested type is left"),
  EVENTS_EXPIRED(2011, 410, "events-expired", "The task's event history is no longer retained"),
  TASK_TIMED_OUT(2012, 504, "task-timed-out", "The task did not finish before its deadline"),
  TASK_CANCELLED(2013, 409, "task-cancelled", "The task was cancelled"),
  TOO_MANY_EVENTS(2014, 422, "too-many-events", "The task emitted more events than allowed"),
  IDEMPOTENT_TASK_EXPIRED(2015, 410, "idempotent-task-expired",
      "The task this Idempotency-Key created has ended and is no longer retained"),
  NODE_CUT_OFF(2016, 503, "node-cut-off",
      "The node cannot renew its hold on its tasks in the cluster (it is cut off or frozen) and accepts no tasks"),
  SESSION_BUSY(2017, 409, "session-busy", "Another task of this session is running and the submit asked not to wait"),
  SESSION_VERSION_CONFLICT(2018, 409, "session-version-conflict",
      "The session snapshot changed since the version this save expected"),
  SESSION_STATE_TOO_LARGE(2019, 413, "session-state-too-large", "The session snapshot is larger than allowed"),

  UNKNOWN_TOOL(3001, 404, "unknown-tool", "No tool with this name"),
  INVALID_TOOL_ARGUMENTS(3002, 422, "invalid-tool-arguments", "The tool arguments do not match the tool's schema"),
  TOOL_TIMEOUT(3003, 504, "tool-timeout", "The tool did not finish in time"),
  TOOL_FAILED(3004, 502, "tool-failed", "The tool failed"),
  TOOL_DENIED(3005, 403, "tool-denied", "The tool refused the request by policy"),
  TOOL_IN_DOUBT(3006, 409, "tool-in-doubt",
      "The call was interrupted while its tool ran and the tool is not idempotent: it may or may not have taken effect"),
  TOOL_UNAVAILABLE(3007, 503, "tool-unavailable", "The tool's circuit breaker is open after repeated failures"),
  TOOL_BUSY(3008, 503, "tool-busy", "The tool runs as many calls as it may and its queue is full"),
  TOOL_CALL_CONFLICT(3009, 409, "tool-call-conflict",
      "This call id was already used for a different tool or different arguments"),
  TOOL_INTENT_NOT_DURABLE(3010, 503, "tool-intent-not-durable",
      "The tool call could not be recorded durably; it did not run"),

  UPSTREAM_TIMEOUT(9001, 504, "upstream-timeout", "An internal component did not answer in time"),
  UNAVAILABLE(9002, 503, "unavailable", "An internal component is not available"),
  INTERNAL(9999, 500, "internal", "Internal error");

  private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();
  private static final Map<String, ErrorCode> BY_SLUG = new HashMap<>();

  static {
    for (ErrorCode c : values()) {
      BY_CODE.put(c.code, c);
      BY_SLUG.put(c.slug, c);
    }
  }

  private final int code;
  private final int httpStatus;
  private final String slug;
  private final String title;

  ErrorCode(int code, int httpStatus, String slug, String title) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.slug = slug;
    this.title = title;
  }

  /** The numeric event-bus failure code. */
  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The stable machine-readable name, for example {@code task-not-found}. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** The RFC 9457 problem type URI. */
  public String typeUri() {
    return "https://agentbus.io/problems/" + slug;
  }

  /** The code with this event-bus failure code, or {@link #INTERNAL} for a code agentbus does not know. */
  public static ErrorCode of(int code) {
    return BY_CODE.getOrDefault(code, INTERNAL);
  }

  /** The code with this slug, or {@link #INTERNAL}. */
  public static ErrorCode ofSlug(String slug) {
    return BY_SLUG.getOrDefault(slug, INTERNAL);
  }
}
