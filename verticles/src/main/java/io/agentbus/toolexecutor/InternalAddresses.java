package io.agentbus.toolexecutor;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Tells addresses a network tool must not reach on its own: loopback, private, link-local (where cloud metadata
 * services live: 169.254.169.254, fd00:ec2::254), shared (100.64/10, Alibaba's metadata 100.100.100.200),
 * unspecified, multicast, broadcast, reserved, documentation and benchmarking ranges, in IPv4 and IPv6, and IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) by the address they embed. Teredo is refused
 * outright (its embedded address is obfuscated).
 */
final class InternalAddresses {

  private InternalAddresses() {
  }

  /** What kind of internal address {@code address} is, e.g. "loopback"; null for a public address. */
  static String kind(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? kindV4(b) : kindV6(b);
  }

  private static String kindV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 0) {
      return "unspecified (0.0.0.0/8)";
    }
    if (a0 == 127) {
      return "loopback";
    }
    if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
      return "private";
    }
    if (a0 == 169 && a1 == 254) {
      return "link-local (cloud metadata)";
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return "shared address space (100.64.0.0/10)";
    }
    if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2) || a0 == 198 && a1 == 51 && a2 == 100
        || a0 == 203 && a1 == 0 && a2 == 113 || a0 == 192 && a1 == 88 && a2 == 99) {
      return "reserved (IETF, documentation or relay)";
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return "benchmarking (198.18.0.0/15)";
    }
    if (a0 >= 224) {
      return a0 < 240 ? "multicast" : "reserved (240.0.0.0/4, broadcast)";
    }
    return null;
  }

  private static String kindV6(byte[] b) {
    boolean first80Zero = true;
    for (int i = 0; i < 10; i++) {
      first80Zero &= b[i] == 0;
    }
    if (first80Zero && b[10] == 0 && b[11] == 0) {
      boolean restZero = true;
      for (int i = 12; i < 15; i++) {
        restZero &= b[i] == 0;
      }
      if (restZero && (b[15] == 0 || b[15] == 1)) {
        return b[15] == 0 ? "unspecified (::)" : "loopback";
      }
      return embedded("IPv4-compatible", b, 12);
    }
    if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return embedded("IPv4-mapped", b, 12);
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int w2 = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
    if (w0 == 0x64 && w1 == 0xff9b) {
      boolean wellKnown = true;
      for (int i = 4; i < 12; i++) {
        wellKnown &= b[i] == 0;
      }
      return wellKnown ? embedded("NAT64", b, 12) : w2 == 1 ? "NAT64 local use (64:ff9b:1::/48)" : null;
    }
    if (w0 == 0x2002) {
      return embedded("6to4", b, 2);
    }
    if (w0 == 0x2001 && w1 == 0) {
      return "Teredo (2001::/32)";
    }
    if (w0 == 0x2001 && w1 == 0xdb8) {
      return "documentation (2001:db8::/32)";
    }
    if (w0 == 0x0100 && w1 == 0 && w2 == 0 && b[6] == 0 && b[7] == 0) {
      return "discard (100::/64)";
    }
    if ((w0 & 0xfe00) == 0xfc00) {
      return "unique local (fc00::/7, cloud metadata)";
    }
    if ((w0 & 0xffc0) == 0xfe80) {
      return "link-local";
    }
    if ((w0 & 0xffc0) == 0xfec0) {
      return "site-local";
    }
    if ((w0 & 0xff00) == 0xff00) {
      return "multicast";
    }
    return null;
  }

  private static String embedded(String form, byte[] b, int at) {
    byte[] v4 = {b[at], b[at + 1], b[at + 2], b[at + 3]};
    String inner = kindV4(v4);
    return inner == null ? null : form + " of a " + inner + " IPv4 address";
  }

  /** The IPv4 address inside an IPv6 one (mapped, compatible, NAT64, 6to4), or the address itself. */
  static InetAddress unwrapped(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    String kind = kindV6(b);
    if (kind == null || !kind.contains("IPv4 address")) {
      return address;
    }
    int at = kind.startsWith("6to4") ? 2 : 12;
    try {
      return Inet4Address.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
