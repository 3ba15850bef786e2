package io.agentbus.gateway.grpc;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces the flushes of a gRPC connection. Vert.x flushes an HTTP/2 connection after every write made outside the
 * handling of an inbound read, and nearly every write of the gateway comes from the event bus (a Run's answer, each
 * event of a Stream): each one cost a writev system call of its own, about a third of the node's CPU when streaming.
 * Netty's {@link FlushConsolidationHandler}, first in the connection's pipeline, defers such a flush until the event
 * loop has run the tasks already queued (at most {@value #MAX_DEFERRED_FLUSHES} flushes), so a burst of answers or
 * events leaves in one system call.
 */
final class FlushConsolidation {

  static final int MAX_DEFERRED_FLUSHES = 128;
  private static final String NAME = "agentbus-flush-consolidation";

  private FlushConsolidation() {
  }

  /** Installs the handler on {@code connection}; a connection of another kind is left as it is. */
  static void install(HttpConnection connection) {
    // ConnectionBase is Vert.x's implementation of every connection; without it the flushes are only not coalesced
    if (connection instanceof ConnectionBase base && base.channel().pipeline().get(NAME) == null) {
      base.channel().pipeline().addFirst(NAME, new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
    }
  }
}
