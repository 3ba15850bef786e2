package io.agentbus.launcher;

import sun.misc.Signal;

/**
 * Handles SIGTERM and SIGINT itself, so a node asked to stop can drain and then exit with status 0 instead of the
 * 143/130 a JVM killed by a signal reports. Falls back to the JVM's default (shutdown hooks) where signals cannot
 * be handled.
 */
final class StopSignals {

  private StopSignals() {
  }

  static void onTerminate(Runnable action) {
    for (String name : new String[]{"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> action.run());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // this platform does not let us handle the signal: the shutdown hook still drains
      }
    }
  }
}
