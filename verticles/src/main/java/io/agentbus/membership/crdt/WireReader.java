package io.agentbus.membership.crdt;

import java.util.Arrays;

/**
 * Reads the primitives of the CRDT encoding from untrusted bytes. Every size is checked against its limit and against
 * the bytes left before anything is allocated, so a hostile length cannot make the reader allocate more than the
 * input could hold. Every failure is a {@link CrdtDecodingException}.
 */
final class WireReader {

  /** 9 groups of 7 bits hold any non-negative long. */
  private static final int MAX_VARINT_BYTES = 9;

  private final byte[] bytes;
  private int position;

  private WireReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Starts reading an encoding of {@code kind}, checking the version byte and the kind byte. */
  static WireReader open(byte[] bytes, byte kind, String what) {
    if (bytes == null) {
      throw new CrdtDecodingException("no bytes to decode as " + what);
    }
    WireReader in = new WireReader(bytes);
    int version = in.readByte("format version");
    if (version != WireFormat.VERSION) {
      throw new CrdtDecodingException("unknown format version " + version + " (this node reads version "
          + WireFormat.VERSION + ")");
    }
    int actualKind = in.readByte("kind");
    if (actualKind != kind) {
      throw new CrdtDecodingException("expected " + what + " (kind " + kind + "), found kind " + actualKind);
    }
    return in;
  }

  private int readByte(String what) {
    if (position == bytes.length) {
      throw new CrdtDecodingException("truncated: expected " + what + " at byte " + position);
    }
    return bytes[position++] & 0xff;
  }

  /** A non-negative long in its shortest unsigned LEB128 form. */
  long readVarLong(String what) {
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      int b = readByte(what);
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new CrdtDecodingException(what + " is not in its shortest form at byte " + (position - 1));
        }
        return value;
      }
    }
    throw new CrdtDecodingException(what + " does not fit in a non-negative long at byte " + position);
  }

  /** A count of items, each at least {@code minBytesPerItem} long, of which at most {@code max} are allowed. */
  int readCount(int max, int minBytesPerItem, String what) {
    long count = readVarLong(what);
    if (count > max) {
      throw new CrdtDecodingException(what + " is " + count + ", more than the limit of " + max);
    }
    if (count * minBytesPerItem > remaining()) {
      throw new CrdtDecodingException(what + " is " + count + " but only " + remaining() + " bytes are left");
    }
    return (int) count;
  }

  byte[] readBytes(int maxLength, String what) {
    int length = readCount(maxLength, 1, "length of " + what);
    byte[] result = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return result;
  }

  ReplicaId readReplica() {
    byte[] utf8 = readBytes(WireFormat.MAX_REPLICA_ID_BYTES, "replica id");
    try {
      return new ReplicaId(Utf8.decode(utf8));
    } catch (IllegalArgumentException e) {
      throw new CrdtDecodingException("invalid replica id: " + e.getMessage(), e);
    }
  }

  /** A replica id that must sort strictly after {@code previous} (null for the first), so lists are canonical. */
  ReplicaId readReplicaAfter(ReplicaId previous) {
    ReplicaId replica = readReplica();
    if (previous != null && previous.compareTo(replica) >= 0) {
      throw new CrdtDecodingException("replicas are not in strictly ascending order at " + replica);
    }
    return replica;
  }

  int remaining() {
    return bytes.length - position;
  }

  void requireEnd(String what) {
    if (remaining() != 0) {
      throw new CrdtDecodingException(remaining() + " unexpected bytes after the " + what);
    }
  }
}
