package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CloudEventPrinterTest {

  private static final CloudEvent PROGRESS = CloudEventBuilder.v1()
      .withId("t1:4").withSource(URI.create("/agentbus/tasks")).withType("io.agentbus.task.progress")
      .withSubject("t1").withTime(OffsetDateTime.parse("2026-01-01T10:00:00.123Z"))
      .withDataContentType("application/json")
      .withData("{ \"stage\": \"echo\",\n \"percent\": 33 }".getBytes(StandardCharsets.UTF_8))
      .withExtension("sequence", "4").withExtension("agentbusnode", "n1")
      .build();

  @Test
  @DisplayName("one line: time, type, subject, sequence extension, id and the data as compact JSON")
  void line() {
    assertThat(CloudEventPrinter.line(PROGRESS)).isEqualTo("2026-01-01T10:00:00.123Z  io.agentbus.task.progress      "
        + "t1  seq=4  id=t1:4  {\"stage\":\"echo\",\"percent\":33}");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @DisplayName("an event read back through the Kafka binding prints the same in structured and binary mode")
  void sameInBothModes(Encoding encoding) {
    RecordHeaders headers = new RecordHeaders();
    try (CloudEventSerializer serializer = new CloudEventSerializer();
         CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
      serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
          CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
      byte[] bytes = serializer.serialize("agentbus.tasks", headers, PROGRESS);
      CloudEvent back = deserializer.deserialize("agentbus.tasks", headers, bytes);

      assertThat(CloudEventPrinter.line(back)).isEqualTo(CloudEventPrinter.line(PROGRESS));
    }
    assertThat(headers.lastHeader("ce_id") != null).isEqualTo(encoding == Encoding.BINARY);
  }

  @Test
  @DisplayName("long data is cut with an ellipsis, binary data is shown by size, and --json is the structured form")
  void dataForms() throws Exception {
    CloudEvent big = CloudEventBuilder.v1(PROGRESS).withData(("{\"text\":\"" + "x".repeat(1000) + "\"}")
        .getBytes(StandardCharsets.UTF_8)).build();
    assertThat(CloudEventPrinter.line(big)).endsWith("xxx...").hasSizeLessThan(CloudEventPrinter.MAX_DATA_CHARS + 120);

    CloudEvent blob = CloudEventBuilder.v1(PROGRESS).withDataContentType("application/octet-stream")
        .withData(new byte[]{1, 2, 3}).build();
    assertThat(CloudEventPrinter.line(blob)).endsWith("<3 bytes of application/octet-stream>");

    var json = Json.MAPPER.readTree(CloudEventPrinter.json(PROGRESS));
    assertThat(json.path("id").asText()).isEqualTo("t1:4");
    assertThat(json.path("sequence").asText()).isEqualTo("4");
    assertThat(json.path("data").path("percent").asInt()).isEqualTo(33);
  }
}
