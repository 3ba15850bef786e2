package io.agentbus.launcher.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Turns the bench hooks' times into convergence figures: per registration, from its registration on the origin node
 * until the last node saw it ({@link #everyNode}), and until each other node saw it ({@link #oneHop}), in microseconds.
 */
final class ConvergenceSamples {

  private final Histogram everyNode = new Histogram(60_000_000L, 3);
  private final Histogram oneHop = new Histogram(60_000_000L, 3);
  private int missing;

  /**
   * @param registered the origin's {@code registered} map (id to microseconds)
   * @param seenOnEach every node's {@code seen} map, origin included
   * @param originIndex which of {@code seenOnEach} is the origin
   */
  void add(JsonObject registered, List<JsonObject> seenOnEach, int originIndex) {
    for (String id : registered.fieldNames()) {
      long at = registered.getLong(id);
      long last = at;
      boolean complete = true;
      for (int i = 0; i < seenOnEach.size(); i++) {
        Long seen = seenOnEach.get(i).getLong(id);
        if (seen == null) {
          complete = false;
          continue;
        }
        last = Math.max(last, seen);
        if (i != originIndex) {
          oneHop.recordValue(Math.max(0, seen - at));
        }
      }
      if (complete) {
        everyNode.recordValue(Math.max(0, last - at));
      } else {
        missing++;
      }
    }
  }

  LatencySummary everyNode() {
    return LatencySummary.of(everyNode);
  }

  LatencySummary oneHop() {
    return LatencySummary.of(oneHop);
  }

  /** Registrations some node never saw. */
  int missing() {
    return missing;
  }
}
