package io.agentbus.system;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits on conditions that hold eventually (polled every 100 ms; an exception counts as not yet). */
final class Eventually {

  private Eventually() {
  }

  static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
