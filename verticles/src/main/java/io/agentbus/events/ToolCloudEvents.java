package io.agentbus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Json;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.api.ToolOutcome;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The CloudEvents of durable tool execution.
 *
 * <p>An <b>intent</b> ({@code agent.intent}): {@code type} {@value #INTENT_TYPE}; {@code source} and {@code id}
 * identify the call (the idempotency key); {@code subject} the task; {@code data} {@code {tool, arguments}};
 * extensions {@code partitionkey} (task id, else the id), {@code traceparent}, {@code agentbusepoch} (the task
 * attempt), {@code agentbusreplyto} (the node whose caller waits), {@code agentbusdeadline} (a timestamp after which
 * the call is not started).
 *
 * <p>An <b>observation</b> ({@code agent.observation}): {@code type} {@value #OBSERVATION_TYPE}; {@code source}
 * {@value #OBSERVATION_SOURCE}; {@code id} the same for every copy (derived from the intent's source and id);
 * {@code subject} the task; {@code data} the {@link ToolOutcome}; extensions {@code intentsource}, {@code intentid},
 * {@code agentbusnode} (the executor that published it), {@code partitionkey}, {@code traceparent}.
 *
 * <p>A <b>dead letter</b> (the dead-letter topic): {@code type} {@value #DEAD_LETTER_TYPE}; {@code id}
 * {@code <topic>/<partition>/<offset>} of the record it replaces; {@code data} that record's value, byte for byte;
 * extensions {@code deadletterreason} (a tag), {@code deadletterdetail}, {@code origintopic},
 * {@code originpartition}, {@code originoffset}.
 */
public final class ToolCloudEvents {

  public static final String INTENT_TYPE = "io.agentbus.tool.intent";
  public static final String OBSERVATION_TYPE = "io.agentbus.tool.observation";
  public static final String DEAD_LETTER_TYPE = "io.agentbus.dead-letter";
  public static final String OBSERVATION_SOURCE = "/agentbus/tool-executor";
  public static final String DEAD_LETTER_SOURCE = "/agentbus/dead-letter";
  /** Source of intents made for calls of a task: this prefix and the URL-encoded task id. */
  public static final String TASK_SOURCE_PREFIX = "/agentbus/tasks/";
  /** Source of intents made for calls that belong to no task. */
  public static final String CALL_SOURCE = "/agentbus/calls";

  public static final String EXT_PARTITION_KEY = "partitionkey";
  public static final String EXT_TRACEPARENT = "traceparent";
  public static final String EXT_EPOCH = "agentbusepoch";
  public static final String EXT_REPLY_TO = "agentbusreplyto";
  public static final String EXT_DEADLINE = "agentbusdeadline";
  public static final String EXT_NODE = "agentbusnode";
  public static final String EXT_INTENT_SOURCE = "intentsource";
  public static final String EXT_INTENT_ID = "intentid";
  public static final String EXT_REASON = "deadletterreason";
  public static final String EXT_DETAIL = "deadletterdetail";
  public static final String EXT_ORIGIN_TOPIC = "origintopic";
  public static final String EXT_ORIGIN_PARTITION = "originpartition";
  public static final String EXT_ORIGIN_OFFSET = "originoffset";

  private static final int MAX_DETAIL = 1000;

  private ToolCloudEvents() {
  }

  /** The source of the intents of one task's calls. */
  public static String taskSource(String taskId) {
    return TASK_SOURCE_PREFIX + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
  }

  /** The Kafka key of an intent or observation: the task id, so one task's calls stay in one partition. */
  public static String partitionKey(ToolIntent intent) {
    return intent.taskId() != null ? intent.taskId() : intent.id();
  }

  public static CloudEvent intent(ToolIntent intent) {
    ObjectNode data = Json.object().put("tool", intent.tool());
    data.set("arguments", intent.arguments());
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(intent.id())
        .withSource(URI.create(intent.source()))
        .withType(INTENT_TYPE)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(BytesCloudEventData.wrap(Json.toBytes(data)))
        .withExtension(EXT_PARTITION_KEY, partitionKey(intent));
    if (intent.taskId() != null) {
      builder.withSubject(intent.taskId());
    }
    if (intent.traceparent() != null) {
      builder.withExtension(EXT_TRACEPARENT, intent.traceparent());
    }
    if (intent.epoch() != null) {
      builder.withExtension(EXT_EPOCH, intent.epoch());
    }
    if (intent.replyTo() != null) {
      builder.withExtension(EXT_REPLY_TO, intent.replyTo());
    }
    if (intent.deadline() != null) {
      builder.withExtension(EXT_DEADLINE,
          OffsetDateTime.ofInstant(Instant.ofEpochMilli(intent.deadline()), ZoneOffset.UTC));
    }
    return builder.build();
  }

  /**
   * Reads an intent.
   *
   * @throws InvalidIntentException if the event is not a well-formed intent (the reason says how)
   */
  public static ToolIntent intentFrom(CloudEvent ce) {
    if (!INTENT_TYPE.equals(ce.getType())) {
      throw new InvalidIntentException("wrong-type", "type is '" + ce.getType() + "', not " + INTENT_TYPE);
    }
    if (ce.getId() == null || ce.getId().isBlank()) {
      throw new InvalidIntentException("missing-id", "the intent has no id");
    }
    if (ce.getSource() == null || ce.getSource().toString().isBlank()) {
      throw new InvalidIntentException("missing-source", "the intent has no source");
    }
    JsonNode data;
    try {
      data = ce.getData() == null ? null : Json.MAPPER.readTree(ce.getData().toBytes());
    } catch (IOException e) {
      throw new InvalidIntentException("invalid-data", "the intent's data is not JSON: " + e.getMessage());
    }
    if (data == null || !data.isObject() || !data.path("tool").isTextual() || data.get("tool").asText().isBlank()) {
      throw new InvalidIntentException("invalid-data", "the intent's data must be an object {tool, arguments}");
    }
    Object epoch = ce.getExtension(EXT_EPOCH);
    Object deadline = ce.getExtension(EXT_DEADLINE);
    return new ToolIntent(ce.getSource().toString(), ce.getId(), ce.getSubject(), data.get("tool").asText(),
        data.get("arguments"), deadline == null ? null : deadlineMillis(deadline),
        epoch == null ? null : integer(epoch), text(ce.getExtension(EXT_TRACEPARENT)),
        text(ce.getExtension(EXT_REPLY_TO)));
  }

  public static CloudEvent observation(ToolIntent intent, ToolOutcome outcome, String nodeId) {
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(intent.observationId())
        .withSource(URI.create(OBSERVATION_SOURCE))
        .withType(OBSERVATION_TYPE)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(BytesCloudEventData.wrap(Json.toBytes(outcome)))
        .withExtension(EXT_INTENT_SOURCE, intent.source())
        .withExtension(EXT_INTENT_ID, intent.id())
        .withExtension(EXT_NODE, nodeId)
        .withExtension(EXT_PARTITION_KEY, partitionKey(intent));
    if (intent.taskId() != null) {
      builder.withSubject(intent.taskId());
    }
    if (intent.traceparent() != null) {
      builder.withExtension(EXT_TRACEPARENT, intent.traceparent());
    }
    return builder.build();
  }

  /** Reads an observation; null if the event is not one. */
  public static ToolObservation observationFrom(CloudEvent ce) {
    if (!OBSERVATION_TYPE.equals(ce.getType()) || ce.getData() == null) {
      return null;
    }
    String source = text(ce.getExtension(EXT_INTENT_SOURCE));
    String id = text(ce.getExtension(EXT_INTENT_ID));
    if (source == null || id == null) {
      return null;
    }
    ToolOutcome outcome = Json.fromBytes(ce.getData().toBytes(), ToolOutcome.class);
    return new ToolObservation(source, id, ce.getSubject(), outcome, text(ce.getExtension(EXT_NODE)));
  }

  /** A dead letter carrying {@code value} (may be null) of the record at topic/partition/offset. */
  public static CloudEvent deadLetter(String topic, int partition, long offset, byte[] value, String reason,
                                      String detail) {
    String shortDetail = detail == null ? "" : detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(topic + "/" + partition + "/" + offset)
        .withSource(URI.create(DEAD_LETTER_SOURCE))
        .withType(DEAD_LETTER_TYPE)
        .withSubject(topic)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withExtension(EXT_REASON, reason)
        .withExtension(EXT_DETAIL, shortDetail)
        .withExtension(EXT_ORIGIN_TOPIC, topic)
        .withExtension(EXT_ORIGIN_PARTITION, partition)
        .withExtension(EXT_ORIGIN_OFFSET, Long.toString(offset));
    if (value != null) {
      builder.withDataContentType("application/octet-stream").withData(BytesCloudEventData.wrap(value));
    }
    return builder.build();
  }

  /** Whether {@code text} can be a CloudEvent source (a URI reference). */
  public static boolean validSource(String text) {
    try {
      new URI(text);
      return !text.isBlank();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static long deadlineMillis(Object value) {
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toEpochMilli();
    }
    try {
      return OffsetDateTime.parse(value.toString()).toInstant().toEpochMilli();
    } catch (RuntimeException e) {
      throw new InvalidIntentException("invalid-data", EXT_DEADLINE + " is not a timestamp: " + value);
    }
  }

  private static int integer(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString());
    } catch (NumberFormatException e) {
      throw new InvalidIntentException("invalid-data", EXT_EPOCH + " is not an integer: " + value);
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
