package io.agentbus.membership;

import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLoad;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the replicator's hot paths (registration, chunking, encoding, decoding, merging, hashing, digests) on a scratch
 * state in a background thread while the node is still starting, so that the JIT has compiled them when a joining
 * node receives the cluster's state. On a cold JVM the first transfer of 100,000 agents otherwise runs largely
 * interpreted, several times slower. The scratch state is thrown away; nothing touches the network.
 */
public final class MembershipWarmup {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipWarmup.class);
  private static final int AGENTS = 20_000;
  private static final int ROUNDS = 3;

  private MembershipWarmup() {
  }

  /** Starts the warm-up on a daemon thread and returns at once. */
  public static void startInBackground() {
    Thread t = new Thread(MembershipWarmup::run, "agentbus-membership-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static void run() {
    long begin = System.nanoTime();
    try {
      MembershipCore source = scratchCore("warmup-a");
      List<AgentDescriptor> agents = new ArrayList<>(AGENTS);
      for (int i = 0; i < AGENTS; i++) {
        agents.add(new AgentDescriptor("warmup-" + i, Set.of("warmup"), 1, Map.of(), "warmup-a", null));
      }
      source.registerAll(agents, 0, true);
      source.load(new AgentLoad(Map.of("warmup-1", 1L), Map.of("warmup-1", 1L)));
      MembershipWire.Sender sender = new MembershipWire.Sender("warmup-a", source.replica());
      for (int round = 0; round < ROUNDS; round++) {
        MembershipCore target = scratchCore("warmup-b" + round);
        PatchChunker chunker = new PatchChunker();
        List<List<byte[]>> chunks = new ArrayList<>();
        for (int k = 0; k < ReplicatedAgents.SHARDS; k++) {
          chunks.addAll(chunker.add(source.state().whole(k)));
        }
        chunks.add(chunker.drain());
        for (List<byte[]> chunk : chunks) {
          Buffer message = MembershipWire.patches(sender, 1, 0, false, chunk);
          target.mergeRemote(((MembershipWire.Patches) MembershipWire.decode(message)).patches());
        }
        long[] hashes = target.state().hashes();
        for (int k = 0; k < hashes.length; k += 64) {
          source.state().missingFor(target.state().digest(k));
        }
        target.list();
      }
      LOG.debug("membership warm-up done in {} ms", (System.nanoTime() - begin) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("membership warm-up failed (harmless, the first state transfer is just slower): {}", e.toString());
    }
  }

  private static MembershipCore scratchCore(String nodeId) {
    return new MembershipCore(nodeId, ReplicaNames.of(nodeId, "warmup"), new LeaseBook(1000, 1000), () -> 1L,
        r -> ReplicaNames.next(r, "warmup"));
  }
}
