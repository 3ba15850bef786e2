package io.agentbus.launcher.bench;

import java.net.URI;
import java.time.Duration;

/**
 * One level of {@code bench tools}: {@code concurrency} tool calls always in flight through {@code target} (a Kafka
 * topic, for reports), first for {@code warmup}, then measured for {@code duration}, at most {@code maxRequests} in
 * all; a call unanswered for {@code timeout} is a timeout error.
 */
record ToolsPlan(URI target, int concurrency, Duration warmup, Duration duration, long maxRequests, Duration timeout)
    implements LoadWindow {

  static final int MAX_CONCURRENCY = 10_000;

  ToolsPlan {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    if (warmup.isNegative() || duration.isNegative() || duration.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the warmup must be >= 0, the duration and timeout > 0");
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("maxRequests must be positive");
    }
  }

  ToolsPlan at(int otherConcurrency, Duration otherWarmup) {
    return new ToolsPlan(target, otherConcurrency, otherWarmup, duration, maxRequests, timeout);
  }

  ToolsPlan toward(URI otherTarget) {
    return new ToolsPlan(otherTarget, concurrency, warmup, duration, maxRequests, timeout);
  }

  /** A single call without warmup, to check that the path answers before a long run. */
  ToolsPlan probe() {
    return new ToolsPlan(target, 1, Duration.ZERO, timeout, 1, timeout);
  }
}
