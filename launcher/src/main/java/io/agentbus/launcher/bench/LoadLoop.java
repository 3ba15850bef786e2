package io.agentbus.launcher.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: keeps {@link LoadWindow#concurrency()} requests in flight (HTTP POSTs of a
 * {@link LoadPlan} over Vert.x HTTP clients, or whatever its {@link LoadWorkers} send) spread over
 * {@code clientLoops} event loops of the given Vertx, records each success's latency in HdrHistogram
 * {@code Recorder}s at microsecond resolution, and reports progress once a second. Bounded in time (warmup +
 * duration, then at most {@link #DRAIN_GRACE} for requests still in flight, which are then abandoned) and in count
 * ({@link LoadWindow#maxRequests()}).
 */
public final class LoadLoop {

  /** How long the end of a run waits for requests still in flight. */
  public static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long DEPLOY_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final LoadWindow plan;
  private final LoadWorkers workers;
  private final int clientLoops;

  /** POSTs of an HTTP {@code plan}, each response judged by {@code check}. */
  public LoadLoop(Vertx vertx, LoadPlan plan, ResponseCheck check, int clientLoops) {
    this(vertx, plan, clientLoops, (tally, slots) -> new LoadWorker(plan, check, tally, slots));
  }

  /** Requests of any kind, sent by the verticles {@code workers} makes. */
  static LoadLoop of(Vertx vertx, LoadWindow plan, LoadWorkers workers, int clientLoops) {
    return new LoadLoop(vertx, plan, clientLoops, workers);
  }

  private LoadLoop(Vertx vertx, LoadWindow plan, int clientLoops, LoadWorkers workers) {
    if (clientLoops < 1) {
      throw new IllegalArgumentException("clientLoops must be positive");
    }
    this.vertx = vertx;
    this.plan = plan;
    this.workers = workers;
    this.clientLoops = clientLoops;
  }

  /**
   * Runs the plan to its end, blocking the calling thread (never an event loop), and calls {@code progress} on it
   * about once a second.
   */
  public LoadResult run(String label, Consumer<Progress> progress) throws InterruptedException {
    long start = System.nanoTime();
    long measureStart = start + plan.warmup().toNanos();
    Tally tally = new Tally(measureStart, measureStart + plan.duration().toNanos(), plan.maxRequests(),
        plan.concurrency());
    int instances = Math.min(clientLoops, plan.concurrency());
    AtomicInteger index = new AtomicInteger();
    String deployment = await(vertx.deployVerticle(() -> workers.create(tally,
        share(plan.concurrency(), instances, index.getAndIncrement())), new DeploymentOptions().setInstances(instances)));
    try {
      long end = reportUntilDone(tally, start, progress);
      boolean drained = tally.awaitIdle(DRAIN_GRACE.toNanos());
      return new LoadResult(label, plan.target(), plan.concurrency(), Duration.ofNanos(Math.max(0, end - measureStart)),
          tally.successes(), tally.errorsByKind(), tally.warmupCompleted(), tally.late(),
          drained ? 0 : tally.inFlight(), tally.issued(), tally.measuredLatencies());
    } finally {
      await(vertx.undeploy(deployment));
    }
  }

  // returns when the window closed or every slot went idle (the request cap), with the time the measurement ended
  private static long reportUntilDone(Tally tally, long start, Consumer<Progress> progress)
      throws InterruptedException {
    Histogram interval = null;
    long lastTick = start;
    long lastCompleted = 0;
    long nextTick = start + TICK_NANOS;
    while (true) {
      long now = System.nanoTime();
      if (now - tally.measureEnd() >= 0) {
        return tally.measureEnd();
      }
      if (tally.awaitIdle(Math.min(nextTick, tally.measureEnd()) - now)) {
        return Math.min(System.nanoTime(), tally.measureEnd());
      }
      now = System.nanoTime();
      if (now - nextTick >= 0 && now - tally.measureEnd() < 0) {
        interval = tally.liveInterval(interval);
        long completed = tally.completedAll();
        progress.accept(new Progress((now - tally.measureStart()) / 1e9, tally.completedInWindow(),
            (completed - lastCompleted) / ((now - lastTick) / 1e9),
            interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(99), tally.errorCount()));
        lastCompleted = completed;
        lastTick = now;
        nextTick += TICK_NANOS;
      }
    }
  }

  private static int share(int total, int parts, int index) {
    return total / parts + (index < total % parts ? 1 : 0);
  }

  private static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the load workers did not start or stop within " + DEPLOY_TIMEOUT_S + " s", e);
    }
  }
}
