package io.agentbus.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLoad;
import io.agentbus.membership.crdt.ORSet;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MembershipWireTest {

  private final CoreFixture cluster = new CoreFixture();
  private final MembershipWire.Sender sender = new MembershipWire.Sender("a", ReplicaNames.of("a", "u1"));

  @Test
  @DisplayName("an agent entry survives its encoding, which is canonical")
  void entryRoundTrip() {
    AgentEntry entry = new AgentEntry(new AgentDescriptor("x", Set.of("b", "a"), 3, Map.of("z", "1", "y", "2"),
        "n1", "custom.inbox"), true, 42);
    byte[] bytes = AgentEntryCodec.INSTANCE.encode(entry);
    assertThat(AgentEntryCodec.INSTANCE.decode(bytes)).isEqualTo(entry);
    AgentEntry same = new AgentEntry(new AgentDescriptor("x", Set.of("a", "b"), 3, Map.of("y", "2", "z", "1"),
        "n1", "custom.inbox"), true, 42);
    assertThat(AgentEntryCodec.INSTANCE.encode(same)).isEqualTo(bytes);
  }

  @Test
  @DisplayName("an entry's bytes are kept as its encoding, so only the canonical form decodes")
  void onlyCanonicalEntriesDecode() {
    AgentEntry entry = new AgentEntry(new AgentDescriptor("x", Set.of("a", "b"), 3, Map.of(), "n1", null), false, 5);
    byte[] bytes = entry.encoded();
    assertThat(AgentEntryCodec.INSTANCE.decode(bytes.clone()).encoded()).isEqualTo(bytes);

    WireOut swapped = new WireOut(32).writeVarLong(5).writeByte(0).writeString("x").writeVarLong(2)
        .writeString("b").writeString("a").writeVarLong(3).writeVarLong(0).writeString("n1").writeString("");
    assertThatThrownBy(() -> AgentEntryCodec.INSTANCE.decode(swapped.toByteArray()))
        .hasMessageContaining("ascending");
    byte[] longStamp = new WireOut(32).writeByte(0x85).writeByte(0x00).writeByte(0).writeString("x").toByteArray();
    assertThatThrownBy(() -> AgentEntryCodec.INSTANCE.decode(longStamp)).hasMessageContaining("shortest");
    WireOut spelledInbox = new WireOut(64).writeVarLong(5).writeByte(0).writeString("x").writeVarLong(1)
        .writeString("a").writeVarLong(3).writeVarLong(0).writeString("n1").writeString("agentbus.agent.x.inbox");
    assertThatThrownBy(() -> AgentEntryCodec.INSTANCE.decode(spelledInbox.toByteArray()))
        .hasMessageContaining("canonical");
  }

  @Test
  @DisplayName("every message kind survives the wire")
  void messagesRoundTrip() {
    MembershipCore a = cluster.core("a");
    a.register(CoreFixture.agent("x", "echo"), 0);
    MembershipCore.Outcome load = a.load(new AgentLoad(Map.of("x", 2L), Map.of("x", 1L)));
    List<byte[]> encoded = load.deltas().stream().map(PatchCodec::encode).toList();

    var delta = (MembershipWire.Delta) MembershipWire.decode(MembershipWire.delta(sender, encoded));
    assertThat(delta.from()).isEqualTo(sender);
    assertThat(delta.patches()).isEqualTo(load.deltas());

    var patches = (MembershipWire.Patches) MembershipWire.decode(MembershipWire.patches(sender, 7, 3, true, encoded));
    assertThat(patches.round()).isEqualTo(7);
    assertThat(patches.chunk()).isEqualTo(3);
    assertThat(patches.last()).isTrue();

    long[] hashes = a.state().hashes();
    var h = (MembershipWire.Hashes) MembershipWire.decode(MembershipWire.hashes(sender, 9, hashes));
    assertThat(h.hashes()).isEqualTo(hashes);

    ShardDigest digest = a.state().digest(ReplicatedAgents.shardOf("x"));
    var d = (MembershipWire.Digests) MembershipWire.decode(
        MembershipWire.digests(sender, 9, true, false, List.of(digest)));
    assertThat(d.pushing()).isTrue();
    assertThat(d.truncated()).isFalse();
    assertThat(d.digests()).containsExactly(digest);
  }

  @Test
  @DisplayName("truncated, oversized, foreign-version and trailing-garbage messages are refused whole")
  void malformedMessagesAreRefused() {
    MembershipCore a = cluster.core("a");
    MembershipCore.Outcome reg = a.register(CoreFixture.agent("x", "echo"), 0);
    byte[] good = MembershipWire.delta(sender, reg.deltas().stream().map(PatchCodec::encode).toList()).getBytes();

    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> MembershipWire.decode(Buffer.buffer(truncated)))
          .isInstanceOf(MalformedMessageException.class);
    }
    byte[] otherVersion = good.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> MembershipWire.decode(Buffer.buffer(otherVersion)))
        .hasMessageContaining("version");
    assertThatThrownBy(() -> MembershipWire.decode(Buffer.buffer(good).appendByte((byte) 0)))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> MembershipWire.decode(Buffer.buffer(new byte[MembershipWire.MAX_MESSAGE_BYTES + 1])))
        .hasMessageContaining("at most");
  }

  @Test
  @DisplayName("a patch too big for one message is split into parts whose join is the patch")
  void bigPatchesAreSplit() {
    MembershipCore a = cluster.core("a");
    List<AgentDescriptor> agents = new ArrayList<>();
    int shard = ReplicatedAgents.shardOf("probe");
    for (int i = 0; agents.size() < 1200; i++) {
      if (ReplicatedAgents.shardOf("agent-" + i) == shard) {
        agents.add(CoreFixture.agent("agent-" + i, "echo"));
      }
    }
    a.registerAll(agents, 0, false);
    for (int i = 0; i < 100; i++) {
      a.deregister(agents.get(i).id());
    }
    ShardPatch whole = a.state().whole(shard);

    List<ShardPatch> parts = PatchChunker.split(whole, 500);
    assertThat(parts).hasSizeGreaterThan(2).allSatisfy(p -> assertThat(p.items()).isLessThanOrEqualTo(500));
    ORSet<AgentEntry> joined = ORSet.empty();
    for (ShardPatch p : parts) {
      joined = joined.merge(p.agents());
    }
    assertThat(joined).isEqualTo(whole.agents());

    PatchChunker chunker = new PatchChunker(8 * 1024, 2000);
    List<List<byte[]>> messages = new ArrayList<>(chunker.add(whole));
    messages.add(chunker.drain());
    List<Integer> sizes = messages.stream().map(m -> m.stream().mapToInt(b -> b.length).sum()).toList();
    assertThat(sizes).hasSizeGreaterThan(3).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(8 * 1024));
    MembershipCore b = cluster.core("b");
    for (List<byte[]> m : messages) {
      b.mergeRemote(((MembershipWire.Delta) MembershipWire.decode(MembershipWire.delta(sender, m))).patches());
    }
    assertThat(b.state().hashes()[shard]).isEqualTo(a.state().hashes()[shard]);
  }

  @Test
  @DisplayName("a replica is judged dead only when two sweeps in a row miss its member")
  void sweepNeedsTwoMisses() {
    DeadReplicaSweep sweep = new DeadReplicaSweep();
    var joining = ReplicaNames.of("c", "uuid-c");
    var gone = ReplicaNames.of("d", "uuid-d");
    assertThat(sweep.due(Set.of(joining, gone), Set.of("uuid-a"))).isEmpty();
    assertThat(sweep.due(Set.of(joining, gone), Set.of("uuid-a", "uuid-c"))).containsExactly(gone);
  }

  @Test
  @DisplayName("replica ids carry node and member, and a reincarnation never reuses one")
  void replicaNames() {
    var r = ReplicaNames.of("node-1", "uuid");
    assertThat(ReplicaNames.nodeOf(r)).isEqualTo("node-1");
    assertThat(ReplicaNames.memberOf(r)).isEqualTo("uuid");
    var same = ReplicaNames.next(r, "uuid");
    assertThat(same.value()).isEqualTo("node-1#uuid~1");
    assertThat(ReplicaNames.memberOf(same)).isEqualTo("uuid");
    assertThat(ReplicaNames.next(same, "uuid").value()).isEqualTo("node-1#uuid~2");
    assertThat(ReplicaNames.next(same, "other").value()).isEqualTo("node-1#other");
  }
}
