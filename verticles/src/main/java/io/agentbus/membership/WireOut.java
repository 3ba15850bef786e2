package io.agentbus.membership;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the primitives of the membership wire format: varints, strings, byte strings. */
final class WireOut {

  private byte[] bytes;
  private int size;

  WireOut(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  WireOut writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  /** Unsigned LEB128; {@code value} must not be negative. */
  WireOut writeVarLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varints are non-negative, was " + value);
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
    return this;
  }

  WireOut writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  WireOut writeString(String s) {
    return writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A length, then the bytes. */
  WireOut writeBytes(byte[] b) {
    writeVarLong(b.length);
    return writeRaw(b);
  }

  WireOut writeRaw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
