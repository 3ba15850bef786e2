package io.agentbus.toolexecutor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a response body up to a byte limit. Past the limit it stops reading and resets the request (which closes
 * the connection), so a huge or endless body costs at most {@code maxBytes} of memory.
 */
final class CappedBody {

  /** The bytes read; {@code truncated} if the body had more. */
  record Read(Buffer bytes, boolean truncated) {
  }

  private CappedBody() {
  }

  /** Must be called as soon as the response arrives, before any of its body is delivered. */
  static Future<Read> read(HttpClientResponse response, int maxBytes) {
    Promise<Read> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      int room = maxBytes - body.length();
      if (chunk.length() <= room) {
        body.appendBuffer(chunk);
        return;
      }
      body.appendBuffer(chunk, 0, room);
      done.complete(new Read(body, true));
      response.request().reset();
    });
    response.endHandler(v -> done.tryComplete(new Read(body, false)));
    response.exceptionHandler(done::tryFail);
    return done.future();
  }
}
