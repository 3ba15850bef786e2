package io.agentbus.gateway.grpc;

import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.Principal;
import io.agentbus.gateway.auth.Scope;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.BiConsumer;

/**
 * The credential check of gRPC calls: the {@code authorization} metadata ({@code Bearer <token or API key>}) is
 * verified and the method's scope required before the call is served; a refused call ends with UNAUTHENTICATED or
 * PERMISSION_DENIED (ErrorInfo reason unauthenticated / forbidden) without its request being read.
 */
final class GrpcAuth {

  private final CredentialVerifier verifier;
  private final io.agentbus.gateway.limits.TenantRateLimiter limiter;

  /** {@code verifier} null: authentication is off (auth.mode dev-none), everyone is {@link Principal#ANONYMOUS}. */
  GrpcAuth(CredentialVerifier verifier, io.agentbus.gateway.limits.TenantRateLimiter limiter) {
    this.verifier = verifier;
    this.limiter = limiter;
  }

  private <Req, Resp> void admit(GrpcServerRequest<Req, Resp> request, Principal principal,
                                 BiConsumer<GrpcServerRequest<Req, Resp>, Principal> serve) {
    limiter.acquire(principal.tenant()).onComplete(done -> {
      if (done.failed()) {
        GrpcStatuses.fail(request.response(), done.cause());
      } else if (done.result() > 0) {
        GrpcStatuses.rateLimited(request.response(), "tenant " + principal.tenant()
            + " is over limits.tenant-requests-per-second; retry after " + done.result() + " ms", done.result());
      } else {
        serve.accept(request, principal);
        request.resume();
      }
    });
  }

  <Req, Resp> void check(GrpcServerRequest<Req, Resp> request, Scope scope,
                         BiConsumer<GrpcServerRequest<Req, Resp>, Principal> serve) {
    request.pause();
    if (verifier == null) {
      admit(request, Principal.ANONYMOUS, serve);
      return;
    }
    verifier.verify(request.headers().get("authorization")).onComplete(done -> {
      if (done.failed()) {
        GrpcStatuses.fail(request.response(), done.cause());
      } else if (!done.result().has(scope)) {
        GrpcStatuses.fail(request.response(), new AgentbusException(ErrorCode.FORBIDDEN,
            "this call needs the '" + scope.claim() + "' scope, which the credential does not have"));
      } else {
        admit(request, done.result(), serve);
      }
    });
  }
}
