package io.agentbus.toolexecutor;

import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a vertx-json-schema "Basic" output into one line per violation: the JSON pointer of the offending value and
 * the reason. Wrapper errors that only say "a sub-schema failed" are dropped when a more specific error explains
 * them; this also drops the additionalProperties error vertx-json-schema reports, beside the real one, for a
 * declared property whose value is invalid.
 */
final class SchemaViolations {

  /** Applicator keywords: their errors only say that something beneath them failed. */
  private static final Set<String> APPLICATORS = Set.of("properties", "patternProperties", "additionalProperties",
      "unevaluatedProperties", "items", "prefixItems", "additionalItems", "unevaluatedItems", "contains",
      "propertyNames", "dependentSchemas", "dependencies", "allOf", "anyOf", "oneOf", "if", "then", "else", "$ref",
      "$dynamicRef", "$recursiveRef");

  static final int MAX_LISTED = 20;

  private SchemaViolations() {
  }

  /** The violations of a failed validation, most specific first-seen order, at most {@link #MAX_LISTED}. */
  static List<String> of(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    if (errors.isEmpty()) {
      return List.of(pointer("#") + ": " + (result.getError() == null ? "does not match the schema" : result.getError()));
    }
    Set<String> lines = new LinkedHashSet<>();
    for (OutputUnit error : errors) {
      if (!explainedByAnother(error, errors)) {
        lines.add(pointer(error.getInstanceLocation()) + ": " + reason(error));
      }
    }
    List<String> listed = new ArrayList<>(lines);
    if (listed.size() > MAX_LISTED) {
      int more = listed.size() - MAX_LISTED;
      listed = new ArrayList<>(listed.subList(0, MAX_LISTED));
      listed.add("... and " + more + " more");
    }
    return listed;
  }

  /** "prefix: v1; v2; ..." */
  static String message(String prefix, OutputUnit result) {
    return prefix + ": " + String.join("; ", of(result));
  }

  private static boolean explainedByAnother(OutputUnit error, List<OutputUnit> all) {
    if (!APPLICATORS.contains(keyword(error))) {
      return false;
    }
    String location = location(error);
    return all.stream().filter(other -> other != error).anyMatch(other ->
        location(other).startsWith(location + "/")
            || location(other).equals(location) && !APPLICATORS.contains(keyword(other)));
  }

  private static String reason(OutputUnit error) {
    if (keyword(error).equals("additionalProperties")) {
      return "property is not allowed by the schema";
    }
    return error.getError();
  }

  private static String keyword(OutputUnit error) {
    String location = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static String location(OutputUnit error) {
    return error.getInstanceLocation() == null ? "#" : error.getInstanceLocation();
  }

  private static String pointer(String instanceLocation) {
    String pointer = instanceLocation == null ? "" : instanceLocation.replaceFirst("^#", "");
    return pointer.isEmpty() ? "(root)" : pointer;
  }
}
