package io.agentbus.toolexecutor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IP address literals in URL hosts, read the way browsers and curl read them (the WHATWG URL host parser): IPv4 in
 * one to four parts, each decimal, octal ({@code 0177}) or hexadecimal ({@code 0x7f}), so {@code 2130706433},
 * {@code 0x7f000001}, {@code 0177.0.0.1} and {@code 127.1} are all 127.0.0.1; and bracketed IPv6 (mapped and other
 * forms included). Never touches DNS.
 */
final class HostLiterals {

  /** A host that looks like an IPv4 number but is not a valid one (browsers refuse it too). */
  static final class Invalid extends IllegalArgumentException {
    Invalid(String host) {
      super("'" + host + "' ends in a number but is not a valid IPv4 address");
    }
  }

  private HostLiterals() {
  }

  /**
   * The address a literal host names; null if the host is a name to resolve.
   *
   * @throws Invalid if the host ends in a number yet is no valid IPv4 address
   */
  static InetAddress parse(String host) {
    if (host.startsWith("[") || host.contains(":")) {
      String inner = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (!inner.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9._~-]+)?")) {
        throw new Invalid(host);
      }
      try {
        return InetAddress.getByName("[" + inner + "]");
      } catch (UnknownHostException | RuntimeException e) {
        throw new Invalid(host);
      }
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String[] parts = name.split("\\.", -1);
    if (parts.length == 0 || !isNumber(parts[parts.length - 1])) {
      return null;
    }
    if (parts.length > 4) {
      throw new Invalid(host);
    }
    long[] numbers = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long n = number(parts[i]);
      if (n == null) {
        throw new Invalid(host);
      }
      numbers[i] = n;
    }
    long value = numbers[parts.length - 1];
    if (value >= 1L << (8 * (5 - parts.length))) {
      throw new Invalid(host);
    }
    for (int i = 0; i < parts.length - 1; i++) {
      if (numbers[i] > 255) {
        throw new Invalid(host);
      }
      value += numbers[i] << (8 * (3 - i));
    }
    byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new Invalid(host);
    }
  }

  private static boolean isNumber(String part) {
    return part.matches("[0-9]+") || part.matches("0x[0-9a-f]*");
  }

  private static Long number(String part) {
    try {
      if (part.isEmpty()) {
        return null;
      }
      if (part.startsWith("0x")) {
        return part.length() == 2 ? 0L : parseBounded(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return parseBounded(part.substring(1), 8);
      }
      return parseBounded(part, 10);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseBounded(String digits, int radix) {
    if (digits.length() > 16) {
      throw new NumberFormatException("too long");
    }
    return Long.parseLong(digits, radix);
  }
}
