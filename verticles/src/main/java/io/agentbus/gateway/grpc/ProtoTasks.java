package io.agentbus.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskView;
import io.agentbus.gateway.JsonBodies;
import io.agentbus.gateway.SubmitRequests;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.Task;
import io.agentbus.grpc.v1.TaskEvent;
import io.agentbus.grpc.v1.TaskEventType;
import io.agentbus.grpc.v1.TaskState;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/**
 * Between agentbus.v1 messages and the records on the event bus. A submit is validated by the same rules as an HTTP
 * body ({@link SubmitRequests}); JSON text fields are parsed with the HTTP limits ({@link JsonBodies}).
 */
final class ProtoTasks {

  private final JsonBodies json;

  ProtoTasks(JsonBodies json) {
    this.json = json;
  }

  /**
   * The task a submit asks for.
   *
   * @throws io.agentbus.api.AgentbusException   for malformed JSON or a bad idempotency key
   * @throws SubmitRequests.Invalid with every invalid field
   */
  SubmitTask submit(SubmitRequest request, MultiMap headers, long waitMs) {
    ObjectNode body = Json.object();
    body.put("agent_type", request.getAgentType());
    if (!request.getInputJson().isEmpty()) {
      body.set("input", parse(request.getInputJson()));
    }
    if (request.getTimeoutMs() != 0) {
      body.put("timeout_ms", request.getTimeoutMs());
    }
    if (request.getMetadataCount() > 0) {
      ObjectNode metadata = body.putObject("metadata");
      request.getMetadataMap().forEach(metadata::put);
    }
    if (!request.getSessionId().isEmpty()) {
      body.put("session_id", request.getSessionId());
    }
    if (!request.getOnBusy().isEmpty()) {
      body.put("on_busy", request.getOnBusy());
    }
    String key = request.getIdempotencyKey().isEmpty() ? null : request.getIdempotencyKey();
    String traceparent = request.getTraceparent().isEmpty() ? headers.get("traceparent") : request.getTraceparent();
    return SubmitRequests.parse(body, SubmitRequests.idempotencyKey(key), SubmitRequests.traceparent(traceparent),
        waitMs);
  }

  /** JSON text with the HTTP API's limits; empty text is null. */
  JsonNode parse(String text) {
    return text.isEmpty() ? null : json.parse(Buffer.buffer(text));
  }

  static String text(JsonNode node) {
    return node == null ? "" : node.toString();
  }

  /**
   * A JSON value as the UTF-8 bytes of a {@code *_json} field; empty for null. Cheaper than {@link #text}: it skips
   * the String, which JsonNode.toString builds through a fresh char-based generator and protobuf then encodes again.
   */
  static ByteString utf8(JsonNode node) {
    return node == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(Json.toBytes(node));
  }

  static Task task(TaskView view, boolean replayed) {
    Task.Builder b = Task.newBuilder()
        .setId(view.id())
        .setAgentType(view.agentType())
        .setState(state(view.state()))
        .setInputJsonBytes(utf8(view.input()))
        .setResultJsonBytes(utf8(view.result()))
        .putAllMetadata(view.metadata())
        .setTimeoutMs(view.timeoutMs())
        .setCreatedAt(timestamp(view.createdAt()))
        .setUpdatedAt(timestamp(view.updatedAt()))
        .setAttempt(view.attempt())
        .setLastSeq(view.lastSeq())
        .setReplayed(replayed);
    if (view.error() != null) {
      b.setError(error(view.error()));
    }
    if (view.agentId() != null) {
      b.setAgentId(view.agentId());
    }
    if (view.ownerNode() != null) {
      b.setOwnerNode(view.ownerNode());
    }
    return b.build();
  }

  static io.agentbus.grpc.v1.TaskError error(TaskError error) {
    return io.agentbus.grpc.v1.TaskError.newBuilder().setCode(nullToEmpty(error.code()))
        .setMessage(nullToEmpty(error.message())).build();
  }

  static TaskEvent event(io.agentbus.api.TaskEvent event) {
    return TaskEvent.newBuilder()
        .setTaskId(event.taskId())
        .setSeq(event.seq())
        .setType(TaskEventType.forNumber(event.type().ordinal() + 1))
        .setTime(timestamp(event.time()))
        .setDataJsonBytes(utf8(event.data()))
        .build();
  }

  static TaskState state(io.agentbus.api.TaskState state) {
    return TaskState.forNumber(state.ordinal() + 1);
  }

  static Timestamp timestamp(Instant t) {
    return t == null ? Timestamp.getDefaultInstance()
        : Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
