package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a registered agent descriptor may hold. Every node keeps every agent, so descriptors are bounded (a few KB at
 * most); the same limits guard the decoder of descriptors received from other nodes.
 */
final class DescriptorRules {

  static final int MAX_ID_BYTES = 256;
  static final int MAX_TYPES = 32;
  static final int MAX_TYPE_BYTES = 128;
  static final int MAX_LABELS = 64;
  static final int MAX_LABEL_KEY_BYTES = 128;
  static final int MAX_LABEL_VALUE_BYTES = 1024;
  static final int MAX_NODE_ID_BYTES = 128;
  static final int MAX_INBOX_BYTES = 512;
  static final int MAX_CAPACITY = 1_000_000;

  private DescriptorRules() {
  }

  /** Why {@code agent} cannot be registered, or null if it can. */
  static String problemWith(AgentDescriptor agent) {
    if (agent == null || agent.id() == null || agent.id().isBlank() || agent.types() == null || agent.types().isEmpty()) {
      return "an agent needs an id and at least one type";
    }
    String problem = tooLong("id", agent.id(), MAX_ID_BYTES);
    if (problem == null && agent.types().size() > MAX_TYPES) {
      problem = "an agent may serve at most " + MAX_TYPES + " types";
    }
    for (String type : agent.types()) {
      problem = problem != null ? problem : type == null || type.isBlank() ? "a type must not be blank"
          : tooLong("type", type, MAX_TYPE_BYTES);
    }
    if (problem == null && agent.labels().size() > MAX_LABELS) {
      problem = "an agent may have at most " + MAX_LABELS + " labels";
    }
    for (Map.Entry<String, String> label : agent.labels().entrySet()) {
      problem = problem != null ? problem : tooLong("label key", label.getKey(), MAX_LABEL_KEY_BYTES);
      problem = problem != null ? problem : tooLong("label value", label.getValue(), MAX_LABEL_VALUE_BYTES);
    }
    if (problem == null && agent.capacity() > MAX_CAPACITY) {
      problem = "capacity may be at most " + MAX_CAPACITY;
    }
    if (problem == null && agent.inbox() != null) {
      problem = tooLong("inbox", agent.inbox(), MAX_INBOX_BYTES);
    }
    return problem;
  }

  private static String tooLong(String what, String value, int maxBytes) {
    if (value == null) {
      return what + " must not be null";
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (!new String(utf8, StandardCharsets.UTF_8).equals(value)) {
      return what + " is not well-formed Unicode";
    }
    return utf8.length > maxBytes ? what + " is longer than " + maxBytes + " bytes" : null;
  }
}
