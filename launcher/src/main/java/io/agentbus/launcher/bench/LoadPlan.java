package io.agentbus.launcher.bench;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;

/**
 * What a {@link LoadLoop} does: POST {@code body} to {@code target} with {@code concurrency} requests always in
 * flight, first for {@code warmup} (not measured), then for {@code duration} (measured), issuing at most
 * {@code maxRequests} requests in all; a request unanswered for {@code requestTimeout} counts as a timeout.
 */
public record LoadPlan(URI target, Buffer body, int concurrency, Duration warmup, Duration duration,
                       long maxRequests, Duration requestTimeout) implements LoadWindow {

  /** The most requests a plan may keep in flight. */
  public static final int MAX_CONCURRENCY = 10_000;

  public LoadPlan {
    if (target.getHost() == null || !"http".equals(target.getScheme())) {
      throw new IllegalArgumentException("the target must be an http:// URL with a host, was " + target);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the warmup must be >= 0 and the duration > 0");
    }
    if (maxRequests < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("maxRequests and requestTimeout must be positive");
    }
  }

  /** The same plan against another target. */
  public LoadPlan withTarget(URI otherTarget) {
    return new LoadPlan(otherTarget, body, concurrency, warmup, duration, maxRequests, requestTimeout);
  }

  /** A single request without warmup, to check that the target answers as expected before a long run. */
  public LoadPlan probe() {
    return new LoadPlan(target, body, 1, Duration.ZERO, requestTimeout, 1, requestTimeout);
  }
}
