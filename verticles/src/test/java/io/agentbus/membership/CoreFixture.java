package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.membership.crdt.ReplicaId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Membership cores of a pretend cluster, with a wall clock the test moves, and deltas delivered by hand. */
final class CoreFixture {

  static final long SUSPECT_MS = 3000;
  static final long TTL_MS = 10_000;

  final AtomicLong wallClock = new AtomicLong(1_700_000_000_000L);

  MembershipCore core(String nodeId) {
    return new MembershipCore(nodeId, ReplicaNames.of(nodeId, "m-" + nodeId), new LeaseBook(SUSPECT_MS, TTL_MS),
        wallClock::get, r -> ReplicaNames.next(r, "m2-" + nodeId));
  }

  static ReplicaId replicaOf(MembershipCore core) {
    return core.replica();
  }

  static AgentDescriptor agent(String id, String type) {
    return new AgentDescriptor(id, Set.of(type), 4, Map.of("k", "v"), "ignored", null);
  }

  /** Delivers an outcome's deltas to other cores, through the wire format, and returns their outcomes. */
  static List<MembershipCore.Outcome> deliver(MembershipCore.Outcome outcome, MembershipCore... to) {
    List<ShardPatch> decoded = throughWire(outcome.deltas());
    List<MembershipCore.Outcome> results = new ArrayList<>();
    for (MembershipCore core : to) {
      results.add(core.mergeRemote(decoded));
    }
    return results;
  }

  static List<ShardPatch> throughWire(List<ShardPatch> patches) {
    List<ShardPatch> decoded = new ArrayList<>();
    for (ShardPatch p : patches) {
      decoded.add(PatchCodec.readPatch(new WireIn(PatchCodec.encode(p))));
    }
    return decoded;
  }

  /** A full anti-entropy exchange between two cores, as the nodes run it, without the event bus. */
  static void antiEntropy(MembershipCore a, MembershipCore b) {
    long[] hashesA = a.state().hashes();
    long[] hashesB = b.state().hashes();
    List<ShardPatch> toA = new ArrayList<>();
    List<ShardPatch> toB = new ArrayList<>();
    for (int k = 0; k < hashesA.length; k++) {
      if (hashesA[k] != hashesB[k]) {
        toA.add(b.state().missingFor(a.state().digest(k)));
        toB.add(a.state().missingFor(b.state().digest(k)));
      }
    }
    a.mergeRemote(throughWire(toA));
    b.mergeRemote(throughWire(toB));
  }
}
