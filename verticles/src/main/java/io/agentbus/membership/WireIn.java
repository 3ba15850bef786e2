package io.agentbus.membership;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what {@link WireOut} wrote, from untrusted bytes: every length is checked against what is left, strings must
 * be strict UTF-8, and anything malformed throws {@link MalformedMessageException}.
 */
final class WireIn {

  private final byte[] bytes;
  private int pos;

  WireIn(byte[] bytes) {
    this.bytes = bytes;
  }

  int readByte() {
    if (pos >= bytes.length) {
      throw new MalformedMessageException("truncated");
    }
    return bytes[pos++] & 0xFF;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0) {
          throw new MalformedMessageException("varint out of range");
        }
        if (b == 0 && shift > 0) {
          throw new MalformedMessageException("varint not in its shortest form");
        }
        return value;
      }
    }
    throw new MalformedMessageException("varint too long");
  }

  /** A varint that must lie in 0..max. */
  int readInt(int max, String what) {
    long v = readVarLong();
    if (v > max) {
      throw new MalformedMessageException(what + " " + v + " is over the limit of " + max);
    }
    return (int) v;
  }

  /** A count of items that each take at least {@code minBytesEach} bytes, checked against the bytes left. */
  int readCount(int max, int minBytesEach, String what) {
    int n = readInt(max, what);
    if ((long) n * minBytesEach > remaining()) {
      throw new MalformedMessageException(what + " " + n + " does not fit in the " + remaining() + " bytes left");
    }
    return n;
  }

  long readLong() {
    if (remaining() < 8) {
      throw new MalformedMessageException("truncated");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[pos++] & 0xFF);
    }
    return v;
  }

  byte[] readBytes(int max, String what) {
    int n = readInt(max, what + " length");
    if (n > remaining()) {
      throw new MalformedMessageException(what + " is truncated");
    }
    byte[] b = Arrays.copyOfRange(bytes, pos, pos + n);
    pos += n;
    return b;
  }

  String readString(int maxBytes, String what) {
    int n = readInt(maxBytes, what + " length");
    if (n > remaining()) {
      throw new MalformedMessageException(what + " is truncated");
    }
    int start = pos;
    pos += n;
    for (int i = start; i < pos; i++) {
      if (bytes[i] < 0) {
        return strictUtf8(start, n, what);
      }
    }
    return new String(bytes, start, n, StandardCharsets.ISO_8859_1); // ASCII, the common case
  }

  private String strictUtf8(int start, int n, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, start, n)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException(what + " is not valid UTF-8");
    }
  }

  int remaining() {
    return bytes.length - pos;
  }

  void requireEnd(String what) {
    if (remaining() != 0) {
      throw new MalformedMessageException(remaining() + " bytes after the end of " + what);
    }
  }
}
