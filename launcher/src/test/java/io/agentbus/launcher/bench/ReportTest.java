package io.agentbus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportTest {

  /** 1, 2, ..., 1000 microseconds: every percentile is known exactly. */
  private static Histogram oneToThousandMicros() {
    Histogram h = new Histogram(3);
    for (int v = 1; v <= 1000; v++) {
      h.recordValue(v);
    }
    return h;
  }

  private static LoadResult result(String label, Histogram latencies, long successes, double seconds,
      TreeMap<String, Long> errors) {
    return new LoadResult(label, URI.create("http://127.0.0.1:1/v1/tasks?wait=30000ms"), 64,
        Duration.ofMillis((long) (seconds * 1000)), successes, errors, 10, 2, 1,
        10 + successes + errors.values().stream().mapToLong(Long::longValue).sum() + 3, latencies);
  }

  @Test
  @DisplayName("percentiles come out of the histogram exactly for known values")
  void percentiles() {
    LatencySummary s = LatencySummary.of(oneToThousandMicros());

    assertThat(s).isEqualTo(new LatencySummary(1000, 500, 900, 990, 999, 1000, 500.5));
  }

  @Test
  @DisplayName("an empty histogram gives zeros rather than failing")
  void emptyHistogram() {
    assertThat(LatencySummary.of(new Histogram(3))).isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  @DisplayName("the summary shows counts, errors by kind, throughput and percentiles in milliseconds")
  void summary() {
    TreeMap<String, Long> errors = new TreeMap<>();
    errors.put("http 503", 3L);
    errors.put("timeout", 1L);

    assertThat(Report.summary(result("agentbus", oneToThousandMicros(), 1000, 2.0, errors))).containsExactly(
        "agentbus: POST http://127.0.0.1:1/v1/tasks?wait=30000ms, 64 in flight, 2.0 s measured",
        "  requests    1000 ok, 4 errors (1017 issued: 10 in warmup, 2 after the window, 1 unfinished)",
        "  errors      http 503: 3; timeout: 1",
        "  throughput  500.0 req/s",
        "  latency     p50 0.50  p90 0.90  p99 0.99  p99.9 1.00  max 1.00 ms");
  }

  @Test
  @DisplayName("side by side, the ratios are subject over baseline for throughput and p99")
  void comparison() {
    Histogram slower = new Histogram(3);
    for (int v = 1; v <= 1000; v++) {
      slower.recordValue(v * 2L);
    }
    LoadResult subject = result("agentbus", slower, 1000, 4.0, new TreeMap<>());
    LoadResult baseline = result("baseline", oneToThousandMicros(), 1000, 1.0, new TreeMap<>());

    assertThat(Report.comparison(subject, baseline)).contains(
        "throughput req/s          250.0         1000.0             0.250x",
        "p99 ms                     1.98           0.99             2.000x",
        "ratio agentbus/baseline: throughput 0.250x, p99 2.000x");
  }

  @Test
  @DisplayName("a progress line shows elapsed time or warmup, completions, rate, p99 and errors")
  void progressLine() {
    assertThat(Report.progressLine(new Progress(12.02, 34567, 2881.4, 71_300, 2)))
        .isEqualTo("[        12s] completed    34567      2881 req/s  p99 71.30 ms  errors 2");
    assertThat(Report.progressLine(new Progress(-3.0, 0, 100, -1, 0)))
        .isEqualTo("[warmup   3s] completed        0       100 req/s  p99 -  errors 0");
  }
}
