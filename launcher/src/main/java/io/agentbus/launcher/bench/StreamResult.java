package io.agentbus.launcher.bench;

import org.HdrHistogram.Histogram;

/**
 * What a run of Stream calls measured: the calls themselves ({@code streams}: each call is a request, its latency the
 * time to its last event), the task events and content chunks received in the window, and the time from each call's
 * start to its first chunk (microseconds).
 */
public record StreamResult(LoadResult streams, long events, long chunks, Histogram firstChunk) {

  public double eventsPerSecond() {
    return perSecond(events);
  }

  public double chunksPerSecond() {
    return perSecond(chunks);
  }

  public LatencySummary firstChunkLatency() {
    return LatencySummary.of(firstChunk);
  }

  private double perSecond(long n) {
    double seconds = streams.measured().toNanos() / 1e9;
    return seconds <= 0 ? 0 : n / seconds;
  }
}
