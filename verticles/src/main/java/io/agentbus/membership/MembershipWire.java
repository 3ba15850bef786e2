package io.agentbus.membership;

import io.agentbus.membership.crdt.ReplicaId;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages membership replicators exchange, as binary buffers:
 * <pre>
 *   message = version(1) kind sender-node sender-replica body
 *   DELTA   = n patch*n                                published on agentbus.membership.delta
 *   PATCHES = round chunk last(0|1) n patch*n           sent to agentbus.membership.node.&lt;id&gt;.patches
 *   HASHES  = round s hash(8 bytes)*s                   request to agentbus.membership.node.&lt;id&gt;.hashes
 *   DIGESTS = round flags(pushing 1, truncated 2) n digest*n   its reply, or sent to ...node.&lt;id&gt;.digests
 * </pre>
 * Patches and digests are {@link PatchCodec}'s. A message over {@link #MAX_MESSAGE_BYTES}, of another version or
 * malformed in any way is refused as a whole ({@link MalformedMessageException}). Senders keep messages near
 * {@link PatchChunker#MAX_CHUNK_BYTES}, far below the limit.
 */
final class MembershipWire {

  static final int VERSION = 1;
  static final int MAX_MESSAGE_BYTES = 8 << 20;

  private static final int DELTA = 1;
  private static final int PATCHES = 2;
  private static final int HASHES = 3;
  private static final int DIGESTS = 4;
  private static final int PUSHING = 1;
  private static final int TRUNCATED = 2;

  /** Who sent a message: node id and the replica id it changes state under. */
  record Sender(String nodeId, ReplicaId replica) {
  }

  sealed interface Message permits Delta, Patches, Hashes, Digests {
    Sender from();
  }

  /** Fresh local changes, published to every node. */
  record Delta(Sender from, List<ShardPatch> patches) implements Message {
  }

  /** One chunk of what a peer lacks, for the anti-entropy or start-up round {@code round}. */
  record Patches(Sender from, long round, int chunk, boolean last, List<ShardPatch> patches) implements Message {
  }

  /** Anti-entropy, step one: the sender's hash of every shard. */
  record Hashes(Sender from, long round, long[] hashes) implements Message {
  }

  /**
   * Anti-entropy, step two: digests of the shards whose hashes differ. As a reply, {@code pushing} says the replier
   * also sends whole shards the asker has nothing of, and {@code truncated} that more shards differ than fit.
   */
  record Digests(Sender from, long round, boolean pushing, boolean truncated, List<ShardDigest> digests)
      implements Message {
  }

  private MembershipWire() {
  }

  static Buffer delta(Sender from, List<byte[]> encodedPatches) {
    WireOut out = header(from, DELTA, encodedPatches);
    out.writeVarLong(encodedPatches.size());
    encodedPatches.forEach(out::writeRaw);
    return Buffer.buffer(out.toByteArray());
  }

  static Buffer patches(Sender from, long round, int chunk, boolean last, List<byte[]> encodedPatches) {
    WireOut out = header(from, PATCHES, encodedPatches);
    out.writeVarLong(round).writeVarLong(chunk).writeByte(last ? 1 : 0).writeVarLong(encodedPatches.size());
    encodedPatches.forEach(out::writeRaw);
    return Buffer.buffer(out.toByteArray());
  }

  static Buffer hashes(Sender from, long round, long[] hashes) {
    WireOut out = header(from, HASHES, List.of());
    out.writeVarLong(round).writeVarLong(hashes.length);
    for (long h : hashes) {
      out.writeLong(h);
    }
    return Buffer.buffer(out.toByteArray());
  }

  static Buffer digests(Sender from, long round, boolean pushing, boolean truncated, List<ShardDigest> digests) {
    WireOut out = header(from, DIGESTS, List.of());
    out.writeVarLong(round).writeByte((pushing ? PUSHING : 0) | (truncated ? TRUNCATED : 0));
    out.writeVarLong(digests.size());
    digests.forEach(d -> PatchCodec.write(out, d));
    return Buffer.buffer(out.toByteArray());
  }

  private static WireOut header(Sender from, int kind, List<byte[]> parts) {
    int size = 64;
    for (byte[] p : parts) {
      size += p.length;
    }
    WireOut out = new WireOut(size);
    out.writeByte(VERSION).writeByte(kind).writeString(from.nodeId()).writeString(from.replica().value());
    return out;
  }

  /** @throws MalformedMessageException for anything but a well-formed message of this version */
  static Message decode(Buffer buffer) {
    if (buffer == null || buffer.length() > MAX_MESSAGE_BYTES) {
      throw new MalformedMessageException("a membership message must be a buffer of at most " + MAX_MESSAGE_BYTES
          + " bytes");
    }
    WireIn in = new WireIn(buffer.getBytes());
    int version = in.readByte();
    if (version != VERSION) {
      throw new MalformedMessageException("unknown membership message version " + version);
    }
    int kind = in.readByte();
    Sender from = new Sender(in.readString(DescriptorRules.MAX_NODE_ID_BYTES, "sender node"), readReplica(in));
    Message message = switch (kind) {
      case DELTA -> new Delta(from, readPatches(in));
      case PATCHES -> readPatchesMessage(from, in);
      case HASHES -> readHashes(from, in);
      case DIGESTS -> readDigests(from, in);
      default -> throw new MalformedMessageException("unknown membership message kind " + kind);
    };
    in.requireEnd("membership message");
    return message;
  }

  private static ReplicaId readReplica(WireIn in) {
    String value = in.readString(4 * ReplicaId.MAX_LENGTH, "sender replica");
    try {
      return ReplicaId.of(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("bad sender replica: " + e.getMessage(), e);
    }
  }

  private static Patches readPatchesMessage(Sender from, WireIn in) {
    long round = in.readVarLong();
    int chunk = in.readInt(Integer.MAX_VALUE, "chunk");
    int last = in.readByte();
    if (last > 1) {
      throw new MalformedMessageException("bad last flag " + last);
    }
    return new Patches(from, round, chunk, last == 1, readPatches(in));
  }

  private static List<ShardPatch> readPatches(WireIn in) {
    int n = in.readCount(ReplicatedAgents.SHARDS * 64, 3, "patches");
    List<ShardPatch> patches = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      patches.add(PatchCodec.readPatch(in));
    }
    return patches;
  }

  private static Hashes readHashes(Sender from, WireIn in) {
    long round = in.readVarLong();
    int n = in.readCount(ReplicatedAgents.SHARDS, 8, "shard hashes");
    if (n != ReplicatedAgents.SHARDS) {
      throw new MalformedMessageException("expected " + ReplicatedAgents.SHARDS + " shard hashes, got " + n);
    }
    long[] hashes = new long[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = in.readLong();
    }
    return new Hashes(from, round, hashes);
  }

  private static Digests readDigests(Sender from, WireIn in) {
    long round = in.readVarLong();
    int flags = in.readByte();
    if ((flags & ~(PUSHING | TRUNCATED)) != 0) {
      throw new MalformedMessageException("unknown digest flags " + flags);
    }
    int n = in.readCount(ReplicatedAgents.SHARDS, 3, "digests");
    List<ShardDigest> digests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      digests.add(PatchCodec.readDigest(in));
    }
    return new Digests(from, round, (flags & PUSHING) != 0, (flags & TRUNCATED) != 0, digests);
  }
}
