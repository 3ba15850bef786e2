package io.agentbus.launcher.bench;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The shared, thread-safe counts of one load run. A response is filed by when it completed: before the window
 * (warmup), inside it (success with its latency, or error by kind), or after it (late). Two recorders hold
 * latencies: {@code live} every success, read once a second for progress; {@code measured} only the window's.
 */
final class Tally {

  private static final int SIGNIFICANT_DIGITS = 3;

  private final long measureStart;
  private final long measureEnd;
  private final long maxRequests;
  private final AtomicLong issued = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder completedAll = new LongAdder();
  private final LongAdder warmupCompleted = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder errorCount = new LongAdder();
  private final Recorder live = new Recorder(SIGNIFICANT_DIGITS);
  private final Recorder measured = new Recorder(SIGNIFICANT_DIGITS);
  private final CountDownLatch idleSlots;

  Tally(long measureStart, long measureEnd, long maxRequests, int slots) {
    this.measureStart = measureStart;
    this.measureEnd = measureEnd;
    this.maxRequests = maxRequests;
    this.idleSlots = new CountDownLatch(slots);
  }

  long measureStart() {
    return measureStart;
  }

  long measureEnd() {
    return measureEnd;
  }

  /** True when {@code now} is inside the measurement window. */
  boolean inWindow(long now) {
    return now - measureStart >= 0 && now - measureEnd < 0;
  }

  /** Claims the right to send one more request at {@code now}; false once the window ended or the cap is reached. */
  boolean tryIssue(long now) {
    if (now - measureEnd >= 0 || issued.getAndUpdate(n -> n < maxRequests ? n + 1 : n) >= maxRequests) {
      return false;
    }
    inFlight.incrementAndGet();
    return true;
  }

  /** Files one finished request; {@code errorKind} is null for a success. */
  void completed(long startNanos, long endNanos, String errorKind) {
    if (errorKind == null) {
      live.recordValue(Math.max(0, (endNanos - startNanos) / 1000));
    }
    if (endNanos - measureStart < 0) {
      warmupCompleted.increment();
    } else if (endNanos - measureEnd >= 0) {
      late.increment();
    } else if (errorKind == null) {
      measured.recordValue(Math.max(0, (endNanos - startNanos) / 1000));
      successes.increment();
    } else {
      errors.computeIfAbsent(errorKind, k -> new LongAdder()).increment();
      errorCount.increment();
    }
    completedAll.increment();
    inFlight.decrementAndGet();
  }

  /** A request slot will send no more. */
  void slotIdle() {
    idleSlots.countDown();
  }

  /** Waits until every slot is idle or the time passes; true if every slot is idle. */
  boolean awaitIdle(long nanos) throws InterruptedException {
    return idleSlots.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  long completedAll() {
    return completedAll.sum();
  }

  long completedInWindow() {
    return successes.sum() + errorCount.sum();
  }

  long errorCount() {
    return errorCount.sum();
  }

  /** The latencies of every success since the last call (for progress lines). */
  Histogram liveInterval(Histogram recycle) {
    return live.getIntervalHistogram(recycle);
  }

  long issued() {
    return issued.get();
  }

  long successes() {
    return successes.sum();
  }

  long warmupCompleted() {
    return warmupCompleted.sum();
  }

  long late() {
    return late.sum();
  }

  int inFlight() {
    return inFlight.get();
  }

  SortedMap<String, Long> errorsByKind() {
    SortedMap<String, Long> copy = new TreeMap<>();
    errors.forEach((kind, n) -> copy.put(kind, n.sum()));
    return copy;
  }

  /** The window's latencies; call once, at the end. */
  Histogram measuredLatencies() {
    return measured.getIntervalHistogram();
  }
}
