package io.agentbus.launcher.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the Stream calls of one run received inside its measurement window: task events, the content chunks among
 * them, and the time from each call's start to its first chunk (microseconds, for first chunks inside the window).
 * Thread-safe.
 */
final class StreamCounts {

  private final LongAdder events = new LongAdder();
  private final LongAdder chunks = new LongAdder();
  private final Recorder firstChunk = new Recorder(3);

  void event(boolean content) {
    events.increment();
    if (content) {
      chunks.increment();
    }
  }

  void firstChunk(long startNanos, long nowNanos) {
    firstChunk.recordValue(Math.max(0, (nowNanos - startNanos) / 1000));
  }

  long events() {
    return events.sum();
  }

  long chunks() {
    return chunks.sum();
  }

  /** The first-chunk latencies; call once, at the end. */
  Histogram firstChunkLatencies() {
    return firstChunk.getIntervalHistogram();
  }
}
