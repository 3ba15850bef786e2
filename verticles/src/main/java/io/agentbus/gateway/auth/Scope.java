package io.agentbus.gateway.auth;

import java.util.Locale;

/**
 * What a credential may do. Clients submit and read tasks, agents serve them, operators may do everything,
 * including the cluster view and metrics.
 */
public enum Scope {
  SUBMIT, READ, SERVE, OPERATOR;

  /** The name in tokens and key files: lower case. */
  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope of a token claim, or null for one agentbus does not know (ignored). */
  public static Scope ofClaim(String claim) {
    for (Scope s : values()) {
      if (s.claim().equals(claim)) {
        return s;
      }
    }
    return null;
  }
}
