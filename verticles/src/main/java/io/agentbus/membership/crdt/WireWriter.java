package io.agentbus.membership.crdt;

import java.io.ByteArrayOutputStream;

/** Appends the primitives of the CRDT encoding: a header, unsigned LEB128 varints, length-prefixed bytes. */
final class WireWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  WireWriter(byte kind) {
    out.write(WireFormat.VERSION);
    out.write(kind);
  }

  void writeVarLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("only non-negative numbers are encoded, was " + value);
    }
    long rest = value;
    while (rest >= 0x80) {
      out.write((int) (rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  void writeBytes(byte[] bytes) {
    writeVarLong(bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  void writeReplica(ReplicaId replica) {
    writeBytes(Utf8.encode(replica.value()));
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
