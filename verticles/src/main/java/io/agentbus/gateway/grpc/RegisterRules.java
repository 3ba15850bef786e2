package io.agentbus.gateway.grpc;

import io.agentbus.gateway.Problems;
import io.agentbus.gateway.SubmitRequests;
import io.agentbus.grpc.v1.Register;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a session's register may hold: the same bounds the registry keeps for every agent. */
final class RegisterRules {

  static final int MAX_TYPES = 32;
  static final int MAX_CAPACITY = 100_000;
  static final int MAX_LABELS = 64;

  private RegisterRules() {
  }

  /** Every invalid field of {@code r}, named by JSON pointer; empty when it is valid. */
  static List<Problems.FieldError> check(Register r, Pattern agentId) {
    List<Problems.FieldError> errors = new ArrayList<>();
    if (!agentId.matcher(r.getAgentId()).matches()) {
      errors.add(new Problems.FieldError("/agent_id", "must be 1-200 of letters, digits, '.', '_' or '-'"));
    }
    if (r.getTypesCount() == 0 || r.getTypesCount() > MAX_TYPES) {
      errors.add(new Problems.FieldError("/types", "1 to " + MAX_TYPES + " agent types"));
    }
    for (int i = 0; i < r.getTypesCount(); i++) {
      if (!SubmitRequests.AGENT_TYPE.matcher(r.getTypes(i)).matches()) {
        errors.add(new Problems.FieldError("/types/" + i, "must be 1-128 of letters, digits, '.', '_' or '-'"));
      }
    }
    if (r.getCapacity() < 1 || r.getCapacity() > MAX_CAPACITY) {
      errors.add(new Problems.FieldError("/capacity", "1 to " + MAX_CAPACITY));
    }
    if (r.getLabelsCount() > MAX_LABELS) {
      errors.add(new Problems.FieldError("/labels", "at most " + MAX_LABELS + " labels"));
    }
    for (Map.Entry<String, String> label : r.getLabelsMap().entrySet()) {
      if (label.getKey().isEmpty() || label.getKey().length() > 128 || label.getValue().length() > 1024) {
        errors.add(new Problems.FieldError("/labels/" + label.getKey(),
            "keys 1-128 characters, values at most 1024"));
      }
    }
    return errors;
  }
}
