package io.agentbus.toolexecutor;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Address blocks in CIDR notation ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code [fd00::]/8}): the
 * internal addresses an operator lets {@code http_fetch} reach. Only IP literals are accepted, never names.
 */
final class AddressBlocks {

  private record Block(byte[] prefix, int bits) {
  }

  private final List<Block> blocks;

  private AddressBlocks(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** @throws IllegalArgumentException naming the first malformed entry and {@code setting} */
  static AddressBlocks parse(List<String> specs, String setting) {
    List<Block> blocks = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      String address = spec;
      int bits = -1;
      int slash = spec.indexOf('/');
      if (slash >= 0) {
        address = spec.substring(0, slash);
        try {
          bits = Integer.parseInt(spec.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw malformed(spec, setting);
        }
      }
      address = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
      InetAddress parsed = HostLiterals.parse(address);
      if (parsed == null) {
        throw malformed(spec, setting);
      }
      byte[] bytes = parsed.getAddress();
      int max = bytes.length * 8;
      if (bits == -1) {
        bits = max;
      }
      if (bits < 0 || bits > max) {
        throw malformed(spec, setting);
      }
      blocks.add(new Block(bytes, bits));
    }
    return new AddressBlocks(blocks);
  }

  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return blocks.stream().anyMatch(b -> b.prefix.length == a.length && matches(b.prefix, a, b.bits));
  }

  private static boolean matches(byte[] prefix, byte[] a, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((prefix[i / 8] & mask) != (a[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException malformed(String spec, String setting) {
    return new IllegalArgumentException(setting + ": '" + spec + "' is not an IP address or CIDR block");
  }
}
