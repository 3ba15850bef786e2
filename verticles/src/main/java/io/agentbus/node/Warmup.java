package io.agentbus.node;

import com.fasterxml.jackson.databind.JavaType;
import io.agentbus.api.Codecs;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.events.TaskCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the JSON and CloudEvent machinery before the verticles start, on the starting thread: Jackson builds a
 * record's (de)serializer on first use and loading those classes takes hundreds of milliseconds on a cold JVM,
 * which would otherwise block an event loop on the first task.
 */
final class Warmup {

  private Warmup() {
  }

  static void run() {
    for (Class<?> type : Codecs.records()) {
      JavaType javaType = Json.MAPPER.constructType(type);
      Json.MAPPER.canSerialize(type);
      Json.MAPPER.canDeserialize(javaType);
    }
    SubmitTask submit = new SubmitTask("warmup", Json.object().put("k", "v"), 1L, Map.of("k", "v"), null, null, 0);
    Json.fromBytes(Json.toBytes(submit), SubmitTask.class);
    Json.tree(Map.of("k", "v"));
    TaskView view = new TaskView("tsk_warmup", "warmup", TaskState.SUCCEEDED, Json.object(), Json.object(), null,
        Map.of(), 1, Instant.now(), Instant.now(), 1, "agent", 1, "node");
    Json.fromString(Json.toString(view), TaskView.class);
    TaskEvent event = new TaskEvent("tsk_warmup", 1, TaskEventType.SUBMITTED, Instant.now(), Json.object());
    CloudEvent ce = TaskCloudEvents.toCloudEvent(event, "warmup", null);
    for (Encoding encoding : Encoding.values()) {
      try (CloudEventSerializer serializer = new CloudEventSerializer()) {
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
            CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        serializer.serialize("warmup", new RecordHeaders(), ce);
      }
    }
  }
}
