package io.agentbus.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end of a gRPC benchmark for people: Run and Stream results by calls in flight, next to the bare baseline. */
public final class GrpcBenchReport {

  /** The target: at least this many Run/s ... */
  public static final double TARGET_RUNS_PER_SECOND = 25_000;
  /** ... with a p99 under this (ms) ... */
  public static final double TARGET_P99_MS = 25;
  /** ... at this many calls in flight. */
  public static final int TARGET_IN_FLIGHT = 256;

  private GrpcBenchReport() {
  }

  /** One row per level of Run calls: throughput and percentiles, then the baseline at the same level and the ratios. */
  public static List<String> runTable(List<LoadResult> node, List<LoadResult> bare) {
    List<String> lines = new ArrayList<>();
    lines.add("gRPC Run (unary, waits for the task): calls/s and latency in ms by calls in flight; bare = a bare Vert.x"
        + " gRPC echo");
    lines.add(String.format(Locale.ROOT, "%9s %11s %8s %8s %8s %8s %7s | %11s %8s | %8s %9s", "in flight",
        "agentbus/s", "p50", "p90", "p99", "p99.9", "errors", "bare/s", "bare p99", "ratio/s", "ratio p99"));
    for (int i = 0; i < node.size(); i++) {
      LoadResult n = node.get(i);
      LoadResult b = i < bare.size() ? bare.get(i) : null;
      LatencySummary l = n.latency();
      lines.add(String.format(Locale.ROOT, "%9d %11s %8s %8s %8s %8s %7d | %11s %8s | %8s %9s", n.concurrency(),
          rate(n.throughput()), Report.millis(l.p50()), Report.millis(l.p90()), Report.millis(l.p99()),
          Report.millis(l.p999()), n.errorCount(), b == null ? "-" : rate(b.throughput()),
          b == null ? "-" : Report.millis(b.latency().p99()),
          b == null ? "-" : Report.ratio(n.throughput(), b.throughput()),
          b == null ? "-" : Report.ratio(l.p99(), b.latency().p99())));
    }
    lines.addAll(errorLines(node));
    return lines;
  }

  /** One row per level of Stream calls: streams/s, chunks/s, events/s, stream and first-chunk latency, baseline. */
  public static List<String> streamTable(List<StreamResult> node, List<StreamResult> bare) {
    List<String> lines = new ArrayList<>();
    lines.add("gRPC Stream (server-streaming, a streamer task's events): per second and latency in ms by streams in"
        + " flight");
    lines.add(String.format(Locale.ROOT, "%9s %9s %10s %10s %10s %10s %11s %11s %7s | %13s | %8s", "in flight",
        "streams/s", "chunks/s", "events/s", "stream p50", "stream p99", "1st chunk50", "1st chunk99", "errors",
        "bare chunks/s", "ratio"));
    for (int i = 0; i < node.size(); i++) {
      StreamResult n = node.get(i);
      StreamResult b = i < bare.size() ? bare.get(i) : null;
      LatencySummary l = n.streams().latency();
      LatencySummary first = n.firstChunkLatency();
      lines.add(String.format(Locale.ROOT, "%9d %9s %10s %10s %10s %10s %11s %11s %7d | %13s | %8s",
          n.streams().concurrency(), rate(n.streams().throughput()), rate(n.chunksPerSecond()),
          rate(n.eventsPerSecond()), Report.millis(l.p50()), Report.millis(l.p99()), Report.millis(first.p50()),
          Report.millis(first.p99()), n.streams().errorCount(), b == null ? "-" : rate(b.chunksPerSecond()),
          b == null ? "-" : Report.ratio(n.chunksPerSecond(), b.chunksPerSecond())));
    }
    lines.addAll(errorLines(node.stream().map(StreamResult::streams).toList()));
    return lines;
  }

  /** Whether the Run level at {@link #TARGET_IN_FLIGHT} met the target, with its figures. */
  public static String targetLine(List<LoadResult> node) {
    String target = String.format(Locale.ROOT, "target at %d in flight (>= %s Run/s, p99 < %.0f ms)", TARGET_IN_FLIGHT,
        rate(TARGET_RUNS_PER_SECOND), TARGET_P99_MS);
    for (LoadResult r : node) {
      if (r.concurrency() == TARGET_IN_FLIGHT) {
        double p99Ms = r.latency().p99() / 1000.0;
        boolean met = r.throughput() >= TARGET_RUNS_PER_SECOND && p99Ms < TARGET_P99_MS && r.errorCount() == 0;
        return String.format(Locale.ROOT, "%s: %s (%s Run/s, p99 %.2f ms, %d errors)", target, met ? "met" : "NOT met",
            rate(r.throughput()), p99Ms, r.errorCount());
      }
    }
    return target + ": not measured (no run at " + TARGET_IN_FLIGHT + " in flight)";
  }

  private static List<String> errorLines(List<LoadResult> results) {
    List<String> lines = new ArrayList<>();
    for (LoadResult r : results) {
      if (!r.errors().isEmpty()) {
        StringBuilder line = new StringBuilder("  errors at " + r.concurrency() + " in flight:");
        for (Map.Entry<String, Long> e : r.errors().entrySet()) {
          line.append(' ').append(e.getKey()).append(": ").append(e.getValue()).append(';');
        }
        lines.add(line.substring(0, line.length() - 1));
      }
    }
    return lines;
  }

  /** A per-second figure without decimals, with thousands separators: {@code 25,000}. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }
}
