package io.agentbus.launcher.bench;

import java.net.URI;
import java.time.Duration;
import java.util.SortedMap;
import org.HdrHistogram.Histogram;

/**
 * What a {@link LoadLoop} measured. Only responses completed inside the measurement window count: {@code successes}
 * (whose latencies, in microseconds, are in {@code latencies}) and {@code errors} by kind. Requests that completed
 * during the warmup, after the window ({@code late}) or never ({@code unfinished}, abandoned at the end) are counted
 * apart, so {@code issued == warmupCompleted + successes + errors + late + unfinished}.
 */
public record LoadResult(String label, URI target, int concurrency, Duration measured, long successes,
                         SortedMap<String, Long> errors, long warmupCompleted, long late, long unfinished, long issued,
                         Histogram latencies) {

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Successful responses per second of measured time. */
  public double throughput() {
    double seconds = measured.toNanos() / 1e9;
    return seconds <= 0 ? 0 : successes / seconds;
  }

  public LatencySummary latency() {
    return LatencySummary.of(latencies);
  }
}
