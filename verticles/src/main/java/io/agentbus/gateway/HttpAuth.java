package io.agentbus.gateway;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.Principal;
import io.agentbus.gateway.auth.Scope;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The credential check of HTTP routes (REST and SSE): a route handler that verifies the Authorization header,
 * requires a scope and leaves the {@link Principal} on the routing context. Vert.x Web orders body handlers before
 * it, so a refused request's body is still read, within http.max-body-bytes.
 */
final class HttpAuth {

  private static final String KEY = Principal.class.getName();
  private final CredentialVerifier verifier;
  private final io.agentbus.gateway.limits.TenantRateLimiter limiter;

  /** {@code verifier} null: authentication is off (auth.mode dev-none), everyone is {@link Principal#ANONYMOUS}. */
  HttpAuth(CredentialVerifier verifier, io.agentbus.gateway.limits.TenantRateLimiter limiter) {
    this.verifier = verifier;
    this.limiter = limiter;
  }

  private void admit(RoutingContext ctx, Principal principal) {
    limiter.acquire(principal.tenant()).onComplete(done -> {
      if (done.failed()) {
        Problems.send(ctx, done.cause());
      } else if (done.result() > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf((done.result() + 999) / 1000));
        Problems.send(ctx, new AgentbusException(ErrorCode.RATE_LIMITED, "tenant " + principal.tenant()
            + " is over limits.tenant-requests-per-second; retry after " + done.result() + " ms"));
      } else {
        ctx.put(KEY, principal);
        ctx.next();
      }
    });
  }

  Handler<RoutingContext> require(Scope scope) {
    return ctx -> {
      if (verifier == null) {
        admit(ctx, Principal.ANONYMOUS);
        return;
      }
      verifier.verify(ctx.request().getHeader("Authorization")).onComplete(done -> {
        if (done.failed()) {
          ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"agentbus\"");
          Problems.send(ctx, done.cause());
        } else if (!done.result().has(scope)) {
          Problems.send(ctx, new AgentbusException(ErrorCode.FORBIDDEN,
              "this request needs the '" + scope.claim() + "' scope, which the credential does not have"));
        } else {
          admit(ctx, done.result());
        }
      });
    };
  }

  /** The principal {@link #require} left on this request. */
  static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    return p == null ? Principal.ANONYMOUS : p;
  }
}
