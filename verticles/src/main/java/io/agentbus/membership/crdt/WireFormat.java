package io.agentbus.membership.crdt;

/** Constants of the binary CRDT encoding shared by the codecs; the format itself is described in package-info. */
final class WireFormat {

  /** The leading byte of every encoding; decoders reject any other. */
  static final byte VERSION = 1;

  static final byte KIND_G_COUNTER = 1;
  static final byte KIND_OR_SET = 2;
  static final byte KIND_OR_SET_DIGEST = 3;

  /** Longest replica id in UTF-8 bytes ({@link ReplicaId#MAX_LENGTH} characters take at most 3 bytes each). */
  static final int MAX_REPLICA_ID_BYTES = 3 * ReplicaId.MAX_LENGTH;
  static final int MAX_REPLICAS = 65_536;
  static final int MAX_RANGES_PER_REPLICA = 1_000_000;
  static final int MAX_ELEMENTS = 1_000_000;
  static final int MAX_ELEMENT_BYTES = 1 << 20;
  static final int MAX_DOTS_PER_ELEMENT = MAX_REPLICAS;

  private WireFormat() {
  }
}
