package io.agentbus.launcher;

import io.agentbus.api.Json;
import io.agentbus.events.TaskCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Prints a CloudEvent of the tasks topic on one line, {@code <time> <type> <subject> seq=<n> id=<id> <data>}, or as
 * its structured-mode JSON. JSON data is printed compact; other text as is; binary data by its size.
 */
final class CloudEventPrinter {

  static final int MAX_DATA_CHARS = 400;
  private static final JsonFormat JSON_FORMAT = new JsonFormat();

  private CloudEventPrinter() {
  }

  static String line(CloudEvent event) {
    Object seq = event.getExtension(TaskCloudEvents.EXT_SEQUENCE);
    return String.format("%s  %-30s %s  seq=%s  id=%s  %s",
        event.getTime() == null ? "-" : event.getTime().toInstant(), event.getType(),
        event.getSubject() == null ? "-" : event.getSubject(), seq == null ? "-" : seq, event.getId(), data(event));
  }

  /** The event in the CloudEvents JSON format (structured mode), on one line. */
  static String json(CloudEvent event) {
    return new String(JSON_FORMAT.serialize(event), StandardCharsets.UTF_8);
  }

  private static String data(CloudEvent event) {
    if (event.getData() == null) {
      return "-";
    }
    byte[] bytes = event.getData().toBytes();
    String contentType = event.getDataContentType() == null ? "" : event.getDataContentType().toLowerCase(Locale.ROOT);
    String text;
    if (contentType.isEmpty() || contentType.contains("json")) {
      try {
        text = Json.MAPPER.readTree(bytes).toString();
      } catch (IOException e) {
        text = new String(bytes, StandardCharsets.UTF_8);
      }
    } else if (contentType.startsWith("text/")) {
      text = new String(bytes, StandardCharsets.UTF_8).replace("\n", "\\n");
    } else {
      return "<" + bytes.length + " bytes of " + contentType + ">";
    }
    return text.length() > MAX_DATA_CHARS ? text.substring(0, MAX_DATA_CHARS - 3) + "..." : text;
  }
}
