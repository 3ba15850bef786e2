package io.agentbus.membership;

import io.agentbus.membership.crdt.CrdtDecodingException;
import io.agentbus.membership.crdt.GCounter;
import io.agentbus.membership.crdt.GCounterCodec;
import io.agentbus.membership.crdt.ORSet;
import io.agentbus.membership.crdt.ORSetCodec;
import io.agentbus.membership.crdt.ORSetDigest;
import io.agentbus.membership.crdt.ORSetDigestCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary form of {@link ShardPatch}es and {@link ShardDigest}s inside membership messages, on top of the CRDT
 * codecs:
 * <pre>
 *   patch    = shard  bytes(OR-Set or empty)  counters
 *   digest   = shard  bytes(OR-Set digest)    counters
 *   counters = n (id bytes(G-Counter dispatched or empty) bytes(G-Counter completed or empty))*n
 * </pre>
 * Decoding rejects a shard index out of range and anything the CRDT codecs reject.
 */
final class PatchCodec {

  static final ORSetCodec<AgentEntry> AGENT_SET = new ORSetCodec<>(AgentEntryCodec.INSTANCE);
  private static final byte[] NONE = new byte[0];
  private static final int MAX_CRDT_BYTES = MembershipWire.MAX_MESSAGE_BYTES;
  private static final int MAX_COUNTERS = 1_000_000;

  private PatchCodec() {
  }

  static byte[] encode(ShardPatch patch) {
    WireOut out = new WireOut(64 + 160 * patch.items());
    out.writeVarLong(patch.shard());
    out.writeBytes(patch.hasNoAgentState() ? NONE : AGENT_SET.encode(patch.agents()));
    writeCounters(out, patch.counters());
    return out.toByteArray();
  }

  static ShardPatch readPatch(WireIn in) {
    int shard = readShard(in);
    byte[] set = in.readBytes(MAX_CRDT_BYTES, "agent set");
    ORSet<AgentEntry> agents = set.length == 0 ? ORSet.empty() : decodeSet(set);
    return new ShardPatch(shard, agents, readCounters(in));
  }

  static void write(WireOut out, ShardDigest digest) {
    out.writeVarLong(digest.shard());
    out.writeBytes(ORSetDigestCodec.encode(digest.agents()));
    writeCounters(out, digest.counters());
  }

  /** The encoded size of a digest. */
  static int sizeOf(ShardDigest digest) {
    WireOut out = new WireOut(256);
    write(out, digest);
    return out.size();
  }

  static ShardDigest readDigest(WireIn in) {
    int shard = readShard(in);
    byte[] bytes = in.readBytes(MAX_CRDT_BYTES, "agent set digest");
    ORSetDigest agents;
    try {
      agents = ORSetDigestCodec.decode(bytes);
    } catch (CrdtDecodingException e) {
      throw new MalformedMessageException("bad agent set digest: " + e.getMessage(), e);
    }
    return new ShardDigest(shard, agents, readCounters(in));
  }

  private static void writeCounters(WireOut out, Map<String, AgentCounters> counters) {
    out.writeVarLong(counters.size());
    counters.forEach((id, c) -> out.writeString(id).writeBytes(encode(c.dispatched())).writeBytes(encode(c.completed())));
  }

  private static Map<String, AgentCounters> readCounters(WireIn in) {
    int n = in.readCount(MAX_COUNTERS, 3, "counters");
    Map<String, AgentCounters> counters = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = in.readString(DescriptorRules.MAX_ID_BYTES, "agent id");
      AgentCounters c = new AgentCounters(decodeCounter(in.readBytes(MAX_CRDT_BYTES, "counter")),
          decodeCounter(in.readBytes(MAX_CRDT_BYTES, "counter")));
      if (counters.put(id, c) != null) {
        throw new MalformedMessageException("counters of agent " + id + " appear twice");
      }
    }
    return counters;
  }

  private static int readShard(WireIn in) {
    return in.readInt(ReplicatedAgents.SHARDS - 1, "shard");
  }

  private static byte[] encode(GCounter counter) {
    return counter.isEmpty() ? NONE : GCounterCodec.encode(counter);
  }

  private static GCounter decodeCounter(byte[] bytes) {
    try {
      return bytes.length == 0 ? GCounter.empty() : GCounterCodec.decode(bytes);
    } catch (CrdtDecodingException e) {
      throw new MalformedMessageException("bad counter: " + e.getMessage(), e);
    }
  }

  private static ORSet<AgentEntry> decodeSet(byte[] bytes) {
    try {
      return AGENT_SET.decode(bytes);
    } catch (CrdtDecodingException e) {
      throw new MalformedMessageException("bad agent set: " + e.getMessage(), e);
    }
  }
}
