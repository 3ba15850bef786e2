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

  /** {@code verifier} null: authentication is off (auth.mode dev-none), everyone is {@link Principal#ANONYMOUS}. */
  GrpcAuth(CredentialVerifier verifier) {
    this.verifier = verifier;
  }

  <Req, Resp> void check(GrpcServerRequest<Req, Resp> request, Scope scope,
                         BiConsumer<GrpcServerRequest<Req, Resp>, Principal> serve) {
    if (verifier == null) {
      serve.accept(request, Principal.ANONYMOUS);
      return;
    }
    request.pause();
    verifier.verify(request.headers().get("authorization")).onComplete(done -> {
      if (done.failed()) {
        GrpcStatuses.fail(request.response(), done.cause());
      } else if (!done.result().has(scope)) {
        GrpcStatuses.fail(request.response(), new AgentbusException(ErrorCode.FORBIDDEN,
            "this call needs the '" + scope.claim() + "' scope, which the credential does not have"));
      } else {
        serve.accept(request, done.result());
        request.resume();
      }
    });
  }
}
