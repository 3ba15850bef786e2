package io.agentbus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbus.api.Json;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TaskCloudEventsTest {

  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final TaskEvent event = new TaskEvent("tsk_abc", 7, TaskEventType.SUCCEEDED,
      Instant.parse("2026-11-22T10:15:30.123456Z"), Json.object().set("result", Json.object().put("answer", 42)));

  @Test
  @DisplayName("a task event maps to a CloudEvent with id, source, type, subject, sequence and trace context")
  void attributes() {
    CloudEvent ce = TaskCloudEvents.toCloudEvent(event, "node-1", TRACEPARENT);
    assertThat(ce.getId()).isEqualTo("tsk_abc:7");
    assertThat(ce.getSource()).isEqualTo(URI.create("/agentbus/tasks"));
    assertThat(ce.getType()).isEqualTo("io.agentbus.task.succeeded");
    assertThat(ce.getSubject()).isEqualTo("tsk_abc");
    assertThat(ce.getDataContentType()).isEqualTo("application/json");
    assertThat(ce.getExtension("sequence")).isEqualTo("7");
    assertThat(ce.getExtension("partitionkey")).isEqualTo("tsk_abc");
    assertThat(ce.getExtension("agentbusnode")).isEqualTo("node-1");
    assertThat(ce.getExtension("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(new String(ce.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"result\":{\"answer\":42}}");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @DisplayName("the Kafka binding round-trips a task event in structured and binary mode")
  void kafkaRoundTrip(Encoding encoding) {
    CloudEvent ce = TaskCloudEvents.toCloudEvent(event, "node-1", null);
    try (CloudEventSerializer ser = new CloudEventSerializer(); CloudEventDeserializer de = new CloudEventDeserializer()) {
      ser.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
          CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
      de.configure(Map.of(), false);
      RecordHeaders headers = new RecordHeaders();
      byte[] bytes = ser.serialize("agentbus.tasks", headers, ce);
      if (encoding == Encoding.STRUCTURED) {
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"specversion\":\"1.0\"")
            .contains("\"type\":\"io.agentbus.task.succeeded\"");
      } else {
        assertThat(headers.lastHeader("ce_type").value()).asString(StandardCharsets.UTF_8)
            .isEqualTo("io.agentbus.task.succeeded");
      }
      TaskEvent back = TaskCloudEvents.fromCloudEvent(de.deserialize("agentbus.tasks", headers, bytes));
      assertThat(back).isEqualTo(event);
    }
  }

  @Test
  @DisplayName("a CloudEvent that is not an agentbus task event is refused with a clear reason")
  void foreignEventsRefused() {
    CloudEvent foreign = CloudEventBuilder.v1().withId("1").withSource(URI.create("/x")).withType("com.example.x").build();
    assertThatThrownBy(() -> TaskCloudEvents.fromCloudEvent(foreign)).hasMessageContaining("not an agentbus task event");
    CloudEvent noSequence = CloudEventBuilder.v1().withId("1").withSource(URI.create("/x"))
        .withType("io.agentbus.task.running").withSubject("t").build();
    assertThatThrownBy(() -> TaskCloudEvents.fromCloudEvent(noSequence)).hasMessageContaining("lacks sequence");
  }
}
