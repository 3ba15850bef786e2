package io.agentbus.membership;

/**
 * A 64-bit hash of byte strings (FNV-1a, each string length-prefixed, with a final avalanche), to tell whether two
 * nodes hold the same shard state. Not cryptographic: a collision only delays healing until the state changes again.
 */
final class Hash64 {

  private long h = 0xcbf29ce484222325L;

  Hash64 add(byte[] bytes) {
    addLong(bytes.length);
    for (byte b : bytes) {
      h = (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
    return this;
  }

  Hash64 addLong(long v) {
    for (int i = 0; i < 8; i++) {
      h = (h ^ ((v >>> (8 * i)) & 0xFF)) * 0x100000001b3L;
    }
    return this;
  }

  long value() {
    long x = h;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}
