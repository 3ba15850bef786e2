package io.agentbus.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Formats load results for people: progress lines, one run's summary, and two runs side by side with ratios. */
public final class Report {

  private Report() {
  }

  /** {@code [  12s] completed 34567  2881 req/s  p99 71.30 ms  errors 0}, with {@code warmup} while warming up. */
  public static String progressLine(Progress p) {
    String when = p.warmingUp() ? String.format(Locale.ROOT, "warmup %3.0fs", -p.elapsedSeconds())
        : String.format(Locale.ROOT, "%10.0fs", p.elapsedSeconds());
    return String.format(Locale.ROOT, "[%s] completed %8d %9.0f req/s  p99 %s  errors %d", when, p.completed(),
        p.perSecond(), p.intervalP99Micros() < 0 ? "-" : millis(p.intervalP99Micros()) + " ms", p.errors());
  }

  /** A run's requests, errors by kind, throughput and latency percentiles. */
  public static List<String> summary(LoadResult r) {
    LatencySummary l = r.latency();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s: %s, %d in flight, %.1f s measured", r.label(), request(r.target()),
        r.concurrency(), r.measured().toMillis() / 1000.0));
    lines.add(String.format(Locale.ROOT, "  requests    %d ok, %d errors (%d issued: %d in warmup, %d after the window,"
        + " %d unfinished)", r.successes(), r.errorCount(), r.issued(), r.warmupCompleted(), r.late(), r.unfinished()));
    if (!r.errors().isEmpty()) {
      StringBuilder kinds = new StringBuilder("  errors     ");
      r.errors().forEach((kind, n) -> kinds.append(' ').append(kind).append(": ").append(n).append(';'));
      lines.add(kinds.substring(0, kinds.length() - 1));
    }
    lines.add(String.format(Locale.ROOT, "  throughput  %.1f req/s", r.throughput()));
    lines.add(String.format(Locale.ROOT, "  latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms", millis(l.p50()),
        millis(l.p90()), millis(l.p99()), millis(l.p999()), millis(l.max())));
    return lines;
  }

  /** Two runs in columns, with the ratio subject/baseline for throughput and each latency percentile. */
  public static List<String> comparison(LoadResult subject, LoadResult baseline) {
    LatencySummary s = subject.latency();
    LatencySummary b = baseline.latency();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-16s %14s %14s %18s", "", subject.label(), baseline.label(),
        subject.label() + "/" + baseline.label()));
    lines.add(String.format(Locale.ROOT, "%-16s %14d %14d", "ok requests", subject.successes(), baseline.successes()));
    lines.add(String.format(Locale.ROOT, "%-16s %14d %14d", "errors", subject.errorCount(), baseline.errorCount()));
    lines.add(row("throughput req/s", subject, baseline, LoadResult::throughput, "%14.1f"));
    Map<String, ToDoubleFunction<LatencySummary>> percentiles = new java.util.LinkedHashMap<>();
    percentiles.put("p50 ms", LatencySummary::p50);
    percentiles.put("p90 ms", LatencySummary::p90);
    percentiles.put("p99 ms", LatencySummary::p99);
    percentiles.put("p99.9 ms", LatencySummary::p999);
    percentiles.put("max ms", LatencySummary::max);
    percentiles.forEach((name, f) -> lines.add(String.format(Locale.ROOT, "%-16s %14s %14s %18s", name,
        millis((long) f.applyAsDouble(s)), millis((long) f.applyAsDouble(b)), ratio(f.applyAsDouble(s), f.applyAsDouble(b)))));
    lines.add(String.format(Locale.ROOT, "ratio %s/%s: throughput %s, p99 %s", subject.label(), baseline.label(),
        ratio(subject.throughput(), baseline.throughput()), ratio(s.p99(), b.p99())));
    return lines;
  }

  /** What a run sent: {@code POST <url>} over HTTP, else the target itself (a gRPC method's address). */
  static String request(java.net.URI target) {
    return target.getScheme() != null && target.getScheme().startsWith("http") ? "POST " + target : target.toString();
  }

  /** Microseconds as milliseconds with two decimals. */
  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  static String ratio(double subject, double baseline) {
    return baseline <= 0 ? "-" : String.format(Locale.ROOT, "%.3fx", subject / baseline);
  }

  private static String row(String name, LoadResult s, LoadResult b, ToDoubleFunction<LoadResult> f, String cell) {
    return String.format(Locale.ROOT, "%-16s " + cell + " " + cell + " %18s", name, f.applyAsDouble(s),
        f.applyAsDouble(b), ratio(f.applyAsDouble(s), f.applyAsDouble(b)));
  }
}
