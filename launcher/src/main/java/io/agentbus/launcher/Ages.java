package io.agentbus.launcher;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Short human ages and durations: {@code 850ms}, {@code 12s}, {@code 3m05s}, {@code 2h10m}, {@code 3d4h}. */
final class Ages {

  private Ages() {
  }

  static String format(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd%dh", s / 86_400, (s % 86_400) / 3600);
  }

  /** The age of an RFC 3339 instant at {@code now}, or "?" when it cannot be read. */
  static String since(String instant, Instant now) {
    try {
      return format(Duration.between(Instant.parse(instant), now));
    } catch (DateTimeParseException | NullPointerException e) {
      return "?";
    }
  }

  /** The time from one RFC 3339 instant to another, to the millisecond under a minute; "?" when unreadable. */
  static String between(String from, String to) {
    try {
      Duration d = Duration.between(Instant.parse(from), Instant.parse(to));
      return d.toMillis() >= 1000 && d.toSeconds() < 60 ? String.format(Locale.ROOT, "%.3fs", d.toMillis() / 1000.0)
          : format(d);
    } catch (DateTimeParseException | NullPointerException e) {
      return "?";
    }
  }
}
