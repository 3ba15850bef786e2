package io.agentbus.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.OnBusy;
import io.agentbus.api.SubmitTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a POST /v1/tasks body into a {@link SubmitTask}, or lists everything wrong with it:
 * {@code agent_type} (required, 1-128 of letters, digits, '.', '_', '-'), {@code input} (any JSON, default null),
 * {@code timeout_ms} (positive whole number), {@code metadata} (object of at most 64 string values),
 * {@code session_id} (1-128 visible ASCII characters) and {@code on_busy} (enqueue, reject or interrupt; only with a
 * session); any other field is an error. Shared by the HTTP and the gRPC ingress, so a task request means the same on both.
 */
public final class SubmitRequests {

  /** What an agent type may look like: 1-128 of letters, digits, '.', '_', '-'. */
  public static final Pattern AGENT_TYPE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Set<String> FIELDS = Set.of("agent_type", "input", "timeout_ms", "metadata", "session_id",
      "on_busy");
  private static final Set<String> ON_BUSY = Set.of("enqueue", "reject", "interrupt");
  private static final Pattern SESSION_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final int MAX_METADATA = 64;
  private static final int MAX_METADATA_KEY = 128;
  private static final int MAX_METADATA_VALUE = 1024;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  /** A body that is not a valid submit: the field errors. */
  public static final class Invalid extends RuntimeException {
    public final transient List<Problems.FieldError> errors;

    Invalid(List<Problems.FieldError> errors) {
      super(errors.size() + " invalid field(s)", null, false, false);
      this.errors = errors;
    }

    public ErrorCode code() {
      return ErrorCode.INVALID_REQUEST;
    }
  }

  private SubmitRequests() {
  }

  /**
   * The task request in {@code body}.
   *
   * @throws Invalid with every invalid field
   */
  public static SubmitTask parse(JsonNode body, String idempotencyKey, String traceparent, long waitMs) {
    List<Problems.FieldError> errors = new ArrayList<>();
    if (!body.isObject()) {
      errors.add(new Problems.FieldError("", "the body must be a JSON object"));
      throw new Invalid(errors);
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        errors.add(new Problems.FieldError("/" + name, "unknown field; expected agent_type, input, timeout_ms, metadata, session_id, on_busy"));
      }
    });
    JsonNode type = body.get("agent_type");
    if (type == null || type.isNull()) {
      errors.add(new Problems.FieldError("/agent_type", "required"));
    } else if (!type.isTextual() || !AGENT_TYPE.matcher(type.asText()).matches()) {
      errors.add(new Problems.FieldError("/agent_type", "must be a string of 1-128 letters, digits, '.', '_' or '-'"));
    }
    Long timeout = null;
    JsonNode t = body.get("timeout_ms");
    if (t != null && !t.isNull()) {
      if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 1) {
        errors.add(new Problems.FieldError("/timeout_ms", "must be a positive whole number of milliseconds"));
      } else {
        timeout = t.asLong();
      }
    }
    Map<String, String> metadata = metadata(body.get("metadata"), errors);
    String sessionId = null;
    JsonNode session = body.get("session_id");
    if (session != null && !session.isNull()) {
      if (!session.isTextual() || !SESSION_ID.matcher(session.asText()).matches()) {
        errors.add(new Problems.FieldError("/session_id", "must be 1-128 visible ASCII characters"));
      } else {
        sessionId = session.asText();
      }
    }
    OnBusy onBusy = null;
    JsonNode busy = body.get("on_busy");
    if (busy != null && !busy.isNull()) {
      if (!busy.isTextual() || !ON_BUSY.contains(busy.asText())) {
        errors.add(new Problems.FieldError("/on_busy", "must be one of enqueue, reject, interrupt"));
      } else if (session == null || session.isNull()) {
        errors.add(new Problems.FieldError("/on_busy", "only applies to a task with a session_id"));
      } else {
        onBusy = OnBusy.ofWireName(busy.asText());
      }
    }
    if (!errors.isEmpty()) {
      throw new Invalid(errors);
    }
    return new SubmitTask(type.asText(), body.get("input"), timeout, metadata, idempotencyKey, traceparent, waitMs,
        sessionId, onBusy);
  }

  /**
   * Where a gateway hands the tasks it takes: a node with its own scheduler gives them to it, a gateway-only node
   * lets the cluster choose.
   */
  public static String submitAddress(io.agentbus.config.NodeContext node) {
    String roles = node.hazelcast().getCluster().getLocalMember().getAttribute(io.agentbus.api.MemberAttributes.ROLES);
    boolean scheduler = roles != null && java.util.Arrays.asList(roles.split(",")).contains("scheduler");
    return scheduler ? io.agentbus.api.Addresses.schedulerOn(node.nodeId(), io.agentbus.api.Addresses.SCHEDULER_SUBMIT)
        : io.agentbus.api.Addresses.SCHEDULER_SUBMIT;
  }

  /**
   * An Idempotency-Key as given, or null when none was given.
   *
   * @throws AgentbusException INVALID_HEADER unless it is 1-255 visible ASCII characters
   */
  public static String idempotencyKey(String key) {
    if (key == null) {
      return null;
    }
    if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw new AgentbusException(ErrorCode.INVALID_HEADER, "Idempotency-Key must be 1-255 visible ASCII characters");
    }
    return key;
  }

  /** A W3C traceparent, trimmed, or null when absent or malformed (trace context is best effort). */
  public static String traceparent(String value) {
    return value != null && TRACEPARENT.matcher(value.trim()).matches() ? value.trim() : null;
  }

  private static Map<String, String> metadata(JsonNode node, List<Problems.FieldError> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      errors.add(new Problems.FieldError("/metadata", "must be an object of string values"));
      return out;
    }
    if (node.size() > MAX_METADATA) {
      errors.add(new Problems.FieldError("/metadata", "at most " + MAX_METADATA + " entries"));
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String pointer = "/metadata/" + e.getKey().replace("~", "~0").replace("/", "~1");
      if (e.getKey().isEmpty() || e.getKey().length() > MAX_METADATA_KEY) {
        errors.add(new Problems.FieldError(pointer, "keys must be 1-" + MAX_METADATA_KEY + " characters"));
      } else if (!e.getValue().isTextual() || e.getValue().asText().length() > MAX_METADATA_VALUE) {
        errors.add(new Problems.FieldError(pointer, "must be a string of at most " + MAX_METADATA_VALUE + " characters"));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}
