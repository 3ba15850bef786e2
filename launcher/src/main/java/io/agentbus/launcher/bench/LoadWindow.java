package io.agentbus.launcher.bench;

import java.net.URI;
import java.time.Duration;

/**
 * The shape of one closed-loop load run, whatever it sends: {@link #concurrency()} requests always in flight against
 * {@link #target()}, first for {@link #warmup()} (not measured), then for {@link #duration()} (measured), at most
 * {@link #maxRequests()} requests in all.
 */
public interface LoadWindow {

  URI target();

  int concurrency();

  Duration warmup();

  Duration duration();

  long maxRequests();
}
