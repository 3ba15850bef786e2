package io.agentbus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentbus.api.Json;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Maps a {@link TaskEvent} to the CloudEvent recorded in the tasks topic and back.
 *
 * <ul>
 *   <li>{@code id} = {@code <task id>:<seq>}, unique per event and stable across re-sends;</li>
 *   <li>{@code source} = {@code /agentbus/tasks}; {@code subject} = the task id;</li>
 *   <li>{@code type} = {@code io.agentbus.task.<kind>} ({@link TaskEventType#cloudEventType()});</li>
 *   <li>{@code datacontenttype} = application/json, {@code data} = the event's data;</li>
 *   <li>extensions: {@code sequence} (the per-task sequence number, decimal), {@code partitionkey} (the task id),
 *       {@code agentbusnode} (the node that owned the task), {@code traceparent} when known.</li>
 * </ul>
 */
public final class TaskCloudEvents {

  public static final URI SOURCE = URI.create("/agentbus/tasks");
  public static final String TYPE_PREFIX = "io.agentbus.task.";
  public static final String EXT_SEQUENCE = "sequence";
  public static final String EXT_PARTITION_KEY = "partitionkey";
  public static final String EXT_NODE = "agentbusnode";
  public static final String EXT_TRACEPARENT = "traceparent";

  private TaskCloudEvents() {
  }

  public static CloudEvent toCloudEvent(TaskEvent event, String nodeId, String traceparent) {
    JsonNode data = event.data() == null ? NullNode.getInstance() : event.data();
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(eventId(event.taskId(), event.seq()))
        .withSource(SOURCE)
        .withType(event.type().cloudEventType())
        .withSubject(event.taskId())
        .withTime(OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(BytesCloudEventData.wrap(Json.toBytes(data)))
        .withExtension(EXT_SEQUENCE, Long.toString(event.seq()))
        .withExtension(EXT_PARTITION_KEY, event.taskId())
        .withExtension(EXT_NODE, nodeId);
    if (traceparent != null) {
      builder.withExtension(EXT_TRACEPARENT, traceparent);
    }
    return builder.build();
  }

  /**
   * Reads a task event back from a CloudEvent of the tasks topic.
   *
   * @throws IllegalArgumentException if it is not an agentbus task event
   */
  public static TaskEvent fromCloudEvent(CloudEvent ce) {
    if (!ce.getType().startsWith(TYPE_PREFIX)) {
      throw new IllegalArgumentException("not an agentbus task event: type " + ce.getType());
    }
    Object seq = ce.getExtension(EXT_SEQUENCE);
    if (seq == null || ce.getSubject() == null || ce.getTime() == null) {
      throw new IllegalArgumentException("task event " + ce.getId() + " lacks sequence, subject or time");
    }
    TaskEventType type = TaskEventType.ofWireName(ce.getType().substring(TYPE_PREFIX.length()));
    JsonNode data;
    try {
      data = ce.getData() == null ? NullNode.getInstance() : Json.MAPPER.readTree(ce.getData().toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("task event " + ce.getId() + " has data that is not JSON", e);
    }
    return new TaskEvent(ce.getSubject(), Long.parseLong(seq.toString()), type, ce.getTime().toInstant(), data);
  }

  public static String eventId(String taskId, long seq) {
    return taskId + ":" + seq;
  }
}
