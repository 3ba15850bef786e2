package io.agentbus.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code host:port} network address as a setting gives it: a host name, an IPv4 address or a bracketed IPv6
 * address ({@code [::1]:5701}), and one port from 1 to 65535. Port ranges are refused because a Hazelcast TCP-IP
 * member list does not accept them.
 */
public record HostPort(String host, int port) {

  private static final Pattern FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]*):(\\d{1,5})");

  public HostPort {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }
  }

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static HostPort parse(String text) {
    String t = text.trim();
    if (t.matches(".*:\\d+-\\d+")) {
      throw new IllegalArgumentException("'" + t + "' is a port range; list each host:port");
    }
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + t + "' is not host:port");
    }
    try {
      return new HostPort(m.group(1), Integer.parseInt(m.group(2)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + t + "': " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
