package io.agentbus.launcher.bench;

/**
 * A once-a-second look at a running {@link LoadLoop}: seconds since the measurement started (negative while warming
 * up), responses completed in the measurement so far (successes and errors), completions per second over the last
 * interval, the p99 latency of the successes of that interval in microseconds (-1 when none), errors so far.
 */
public record Progress(double elapsedSeconds, long completed, double perSecond, long intervalP99Micros, long errors) {

  public boolean warmingUp() {
    return elapsedSeconds < 0;
  }
}
