package io.agentbus.launcher.bench;

import org.HdrHistogram.Histogram;

/** The percentiles of a latency histogram recorded in microseconds. */
public record LatencySummary(long count, long p50, long p90, long p99, long p999, long max, double mean) {

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(micros.getTotalCount(), micros.getValueAtPercentile(50),
        micros.getValueAtPercentile(90), micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9),
        micros.getMaxValue(), micros.getMean());
  }
}
