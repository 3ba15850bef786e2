package io.agentbus.gateway.auth;

import java.util.Set;

/**
 * Who a request acts for, taken from its credential: the tenant every task it touches must belong to, the subject
 * (user, service or agent), its scopes and when the credential expires (epoch seconds, 0: never).
 */
public record Principal(String tenant, String subject, Set<Scope> scopes, long expiresAt) {

  /** The tenant of requests when auth.mode is dev-none. */
  public static final String DEFAULT_TENANT = "default";

  /** Everything allowed, tenant {@value #DEFAULT_TENANT}: the caller of a node running without authentication. */
  public static final Principal ANONYMOUS = new Principal(DEFAULT_TENANT, "anonymous", Set.of(Scope.values()), 0);

  public boolean has(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.OPERATOR);
  }
}
