package io.agentbus.toolexecutor;

import io.agentbus.config.Setting;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts {@code http_fetch} may reach: entries {@code *} (any host), {@code host}, {@code *.domain} (the domain's
 * subdomains, not the domain itself), each optionally with {@code :port}; IPv6 literals in brackets. Names match
 * ignoring case; IP literals match by address whatever their spelling. An empty list allows nothing. Passing the
 * allow-list does not let a host reach an internal address: that is {@link AddressBlocks}' job.
 */
final class HostAllowList {

  static final String SETTING = Setting.TOOLS_HTTP_ALLOW_HOSTS.key();
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
    String wanted = canonical(host);
    return entries.stream().anyMatch(e -> (e.port == ANY_PORT || e.port == port) && matches(e.host, wanted));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      return host.endsWith(pattern.substring(1)) && !host.startsWith("[");
    }
    return pattern.equals(host);
  }

  /** IP literals in one spelling (dotted quad, bracketed compressed IPv6), names in lower case without a final dot. */
  static String canonical(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    try {
      InetAddress literal = HostLiterals.parse(lower);
      if (literal != null) {
        String text = literal.getHostAddress();
        return text.contains(":") ? "[" + text + "]" : text;
      }
    } catch (IllegalArgumentException e) {
      return lower;
    }
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
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
    if (host.isEmpty() || host.equals("[]") || host.contains("/") || host.contains("@")
        || host.contains("*") && !host.equals("*") && !(host.startsWith("*.") && host.indexOf('*', 1) < 0)) {
      throw malformed(spec);
    }
    return new Entry(host.startsWith("*") ? host.toLowerCase(Locale.ROOT) : canonical(host),
        port == null ? ANY_PORT : port(spec, port));
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
    return new IllegalArgumentException(SETTING + ": '" + spec
        + "' is not *, host, *.domain, host:port, [ipv6] or [ipv6]:port");
  }
}
