package io.agentbus.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A tool call recorded in the intent topic, before it runs. Its idempotency key is the CloudEvent identity
 * ({@code source}, {@code id}): every delivery of the same intent, and every intent with the same pair, runs the tool
 * at most once and gets the outcome of that one run.
 *
 * @param source      CloudEvent source: who asked, e.g. {@code /agentbus/tasks/<task id>}
 * @param id          CloudEvent id, unique within {@code source}, e.g. the call id
 * @param taskId      the task the call belongs to (CloudEvent subject); null when none
 * @param deadline    epoch milliseconds after which the call is not started any more; null for the tool's limits
 * @param epoch       the task attempt that asked; null when not known
 * @param replyTo     the node whose caller waits for the observation (fast path); null when no one waits
 */
public record ToolIntent(String source, String id, String taskId, String tool, JsonNode arguments, Long deadline,
                         Integer epoch, String traceparent, String replyTo) {

  /** The ledger key: source and id, unambiguous whatever characters they hold. */
  public String key() {
    return keyOf(source, id);
  }

  /** The ledger key of the intent with this source and id. */
  public static String keyOf(String source, String id) {
    return source.length() + ":" + source + id;
  }

  /** The id of this intent's observation: the same for every delivery and every re-run. */
  public String observationId() {
    return UUID.nameUUIDFromBytes(key().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
