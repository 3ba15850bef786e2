package io.agentbus.toolexecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts {@code http_get} may reach: entries {@code host} (any port) or {@code host:port}; IPv6 literals in
 * brackets. A host matches an entry only if the names are equal ignoring case: no suffix, wildcard or DNS matching.
 * An empty list allows nothing.
 */
final class HostAllowList {

  private static final int ANY_PORT = -1;

  private record Entry(String host, int port) {
  }

  private final List<Entry> entries;

  private HostAllowList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** @throws IllegalArgumentException naming the first malformed entry */
  static HostAllowList parse(List<String> specs) {
    List<Entry> entries = new ArrayList<>();
    for (String spec : specs) {
      entries.add(entry(spec.trim()));
    }
    return new HostAllowList(entries);
  }

  /** {@code host} as {@link java.net.URI#getHost()} returns it (IPv6 in brackets); {@code port} explicit. */
  boolean allows(String host, int port) {
    if (host == null) {
      return false;
    }
    String wanted = host.toLowerCase(Locale.ROOT);
    return entries.stream().anyMatch(e -> e.host.equals(wanted) && (e.port == ANY_PORT || e.port == port));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  private static Entry entry(String spec) {
    String host;
    String port = null;
    if (spec.startsWith("[")) {
      int close = spec.indexOf(']');
      if (close < 0) {
        throw malformed(spec);
      }
      host = spec.substring(0, close + 1);
      String rest = spec.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw malformed(spec);
        }
        port = rest.substring(1);
      }
    } else if (spec.indexOf(':') != spec.lastIndexOf(':')) {
      host = "[" + spec + "]";
    } else if (spec.contains(":")) {
      host = spec.substring(0, spec.indexOf(':'));
      port = spec.substring(spec.indexOf(':') + 1);
    } else {
      host = spec;
    }
    if (host.isEmpty() || host.equals("[]") || host.contains("/") || host.contains("@")) {
      throw malformed(spec);
    }
    return new Entry(host.toLowerCase(Locale.ROOT), port == null ? ANY_PORT : port(spec, port));
  }

  private static int port(String spec, String port) {
    try {
      int value = Integer.parseInt(port);
      if (value >= 1 && value <= 65535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(spec);
  }

  private static IllegalArgumentException malformed(String spec) {
    return new IllegalArgumentException("tools.http-get.allow-hosts: '" + spec
        + "' is not host, host:port, [ipv6] or [ipv6]:port");
  }
}
