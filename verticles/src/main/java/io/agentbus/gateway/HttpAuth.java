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

  /** {@code verifier} null: authentication is off (auth.mode dev-none), everyone is {@link Principal#ANONYMOUS}. */
  HttpAuth(CredentialVerifier verifier) {
    this.verifier = verifier;
  }

  Handler<RoutingContext> require(Scope scope) {
    return ctx -> {
      if (verifier == null) {
        ctx.put(KEY, Principal.ANONYMOUS);
        ctx.next();
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
          ctx.put(KEY, done.result());
          ctx.next();
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
