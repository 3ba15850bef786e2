package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLease;
import io.agentbus.api.AgentLoad;
import io.agentbus.api.AgentRef;
import io.agentbus.api.AgentViewChange;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.MembershipSummary;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.membership.crdt.ReplicaId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership replicator of a node (DESIGN.md, ground rule 3), deployed on every node. Agents at home here
 * register, send heartbeats and deregister over the event bus; the local scheduler reports load. Every change goes at
 * once to all nodes as a CRDT delta ({@link Addresses#MEMBERSHIP_DELTA}); periodic anti-entropy with one other node
 * heals lost deltas; a starting node asks a peer for the whole state at once; when Hazelcast reports a member gone,
 * every survivor retires that member's replica (its agents disappear, its counts stay frozen). The resulting view is
 * published node-locally on {@link Addresses#MEMBERSHIP_VIEW} as {@link AgentViewChange}s.
 */
public class MembershipVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipVerticle.class);
  private static final long LOAD_PUBLISH_MS = 100;
  private static final long START_SYNC_BOUND_S = 10;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** The operation of {@link Addresses#membershipOn} that answers this node's {@link MembershipSummary}. */
  public static final String SUMMARY = "summary";

  private final NodeContext node;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final DeadReplicaSweep sweep = new DeadReplicaSweep();
  private Peers peers;
  private MembershipCore core;
  private MembershipMetrics metrics;
  private DeltaPublisher deltas;
  private AntiEntropy antiEntropy;
  private UUID removalListener;
  private long suspectMs;
  private long ttlMs;
  private WorkerExecutor decoders;

  public MembershipVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    NodeConfig config = node.config();
    suspectMs = config.getLong(Setting.MEMBERSHIP_AGENT_SUSPECT_MS);
    ttlMs = config.getLong(Setting.MEMBERSHIP_AGENT_TTL_MS);
    peers = new Peers(node.hazelcast());
    ReplicaId replica = ReplicaNames.of(node.nodeId(), peers.localMemberUuid());
    core = new MembershipCore(node.nodeId(), replica, new LeaseBook(suspectMs, ttlMs), System::currentTimeMillis,
        r -> ReplicaNames.next(r, peers.localMemberUuid()));
    metrics = new MembershipMetrics(node.registry(), core);
    deltas = new DeltaPublisher(vertx, this::sender, config.getBoolean(Setting.MEMBERSHIP_DROP_OUTGOING_DELTAS),
        metrics);
    decoders = vertx.createSharedWorkerExecutor(AntiEntropy.DECODERS, AntiEntropy.DECODER_THREADS);
    antiEntropy = new AntiEntropy(vertx, core, peers, metrics, this::sender, this::apply);

    EventBus bus = vertx.eventBus();
    consumers.add(bus.<AgentDescriptor>localConsumer(Addresses.MEMBERSHIP_REGISTER, Failures.guard(this::register)));
    consumers.add(bus.<AgentRef>localConsumer(Addresses.MEMBERSHIP_DEREGISTER, Failures.guard(this::deregister)));
    consumers.add(bus.<AgentRef>localConsumer(Addresses.MEMBERSHIP_HEARTBEAT, Failures.guard(this::heartbeat)));
    consumers.add(bus.localConsumer(Addresses.MEMBERSHIP_AGENTS, msg -> msg.reply(core.list())));
    consumers.add(bus.localConsumer(Addresses.MEMBERSHIP_SUMMARY, msg -> msg.reply(summary())));
    consumers.add(bus.consumer(Addresses.membershipOn(node.nodeId(), SUMMARY), msg -> msg.reply(summary())));
    consumers.add(bus.<AgentLoad>localConsumer(Addresses.MEMBERSHIP_LOAD, msg -> apply(core.load(msg.body()))));
    consumers.add(bus.<Buffer>consumer(Addresses.MEMBERSHIP_DELTA, this::onDelta));
    consumers.addAll(antiEntropy.listen(bus));
    if (config.getBoolean(Setting.MEMBERSHIP_BENCH_HOOKS)) {
      consumers.addAll(new BenchHooks(vertx, core, this::apply, () -> BenchHooks.toJson(summary())).listen(bus));
    }

    vertx.setPeriodic(Math.max(20, Math.min(1000, suspectMs / 4)),
        t -> apply(core.expireLeases(System.nanoTime())));
    vertx.setPeriodic(LOAD_PUBLISH_MS, t -> publishView(core.flushLoad()));
    vertx.setPeriodic(config.getLong(Setting.MEMBERSHIP_ANTI_ENTROPY_MS), t -> {
      retireVanishedMembers();
      antiEntropy.tick();
    });
    removalListener = peers.onRemoval((nodeId, uuid) -> context.runOnContext(v -> onMemberRemoved(nodeId, uuid)));

    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> {
          publishView(core.fullView());
          return antiEntropy.syncAtStart().timeout(START_SYNC_BOUND_S, TimeUnit.SECONDS)
              .recover(err -> {
                LOG.warn("start-up state transfer failed ({}); anti-entropy will catch up", err.toString());
                return Future.succeededFuture();
              });
        });
  }

  @Override
  public Future<?> stop() {
    decoders.close();
    peers.stopListening(removalListener);
    antiEntropy.close();
    return Future.succeededFuture();
  }

  private MembershipWire.Sender sender() {
    return new MembershipWire.Sender(node.nodeId(), core.replica());
  }

  private void register(Message<AgentDescriptor> msg) {
    String problem = DescriptorRules.problemWith(msg.body());
    if (problem != null) {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, problem));
      return;
    }
    apply(core.register(msg.body(), System.nanoTime()));
    msg.reply(new AgentLease(core.atHome(msg.body()), Math.max(1, suspectMs / 3), suspectMs, ttlMs));
  }

  private void deregister(Message<AgentRef> msg) {
    apply(core.deregister(msg.body().agentId()));
    msg.reply(null);
  }

  private void heartbeat(Message<AgentRef> msg) {
    MembershipCore.Outcome outcome = core.heartbeat(msg.body().agentId(), System.nanoTime());
    if (outcome == null) {
      Failures.fail(msg, new AgentbusException(ErrorCode.NOT_FOUND,
          "agent " + msg.body().agentId() + " is not registered on node " + node.nodeId()));
      return;
    }
    apply(outcome);
    msg.reply(null);
  }

  // a big delta (a burst of registrations) is decoded on a worker and merged here: order does not matter to a CRDT
  private void onDelta(Message<Buffer> msg) {
    if (msg.body().length() < AntiEntropy.INLINE_DECODE_BYTES) {
      mergeDelta(decodeDelta(msg.body()), msg.body().length());
      return;
    }
    decoders.executeBlocking(() -> decodeDelta(msg.body()), false)
        .onSuccess(delta -> mergeDelta(delta, msg.body().length()));
  }

  private MembershipWire.Delta decodeDelta(Buffer body) {
    try {
      return (MembershipWire.Delta) MembershipWire.decode(body);
    } catch (MalformedMessageException | ClassCastException e) {
      metrics.rejected();
      LOG.debug("refused a membership delta: {}", e.getMessage());
      return null;
    }
  }

  private void mergeDelta(MembershipWire.Delta delta, int bytes) {
    if (delta == null || delta.from().replica().equals(core.replica())) {
      return;
    }
    metrics.deltaReceived(bytes);
    apply(core.mergeRemote(delta.patches()));
  }

  private void onMemberRemoved(String nodeId, String memberUuid) {
    Set<ReplicaId> gone = new HashSet<>();
    gone.add(ReplicaNames.of(nodeId, memberUuid));
    for (ReplicaId r : core.state().knownReplicas()) {
      if (ReplicaNames.memberOf(r).equals(memberUuid)) {
        gone.add(r);
      }
    }
    LOG.info("member {} ({}) left the cluster: retiring replicas {}", nodeId, memberUuid, gone);
    apply(core.retire(gone));
  }

  /** Retires replicas whose member is gone although no removal was seen here (see {@link DeadReplicaSweep}). */
  private void retireVanishedMembers() {
    Set<String> members = peers.memberUuids();
    if (members == null) {
      return;
    }
    Set<ReplicaId> live = new HashSet<>(core.state().knownReplicas());
    live.removeAll(core.state().retiredReplicas());
    live.remove(core.replica());
    List<ReplicaId> due = sweep.due(live, members);
    if (!due.isEmpty()) {
      LOG.info("replicas {} belong to no current member: retiring them", due);
      apply(core.retire(due));
    }
  }

  private void apply(MembershipCore.Outcome outcome) {
    publishView(outcome.viewChange());
    deltas.publish(outcome.deltas());
  }

  private void publishView(AgentViewChange change) {
    if (!change.isEmpty()) {
      vertx.eventBus().publish(Addresses.MEMBERSHIP_VIEW, change, LOCAL);
    }
  }

  private MembershipSummary summary() {
    ReplicatedAgents state = core.state();
    return new MembershipSummary(node.nodeId(), core.replica().value(), core.view().size(),
        core.view().suspectCount(), state.knownReplicas().size(), state.retiredReplicas().size(),
        String.format("%016x", state.stateHash()), metrics.deltasSent(), metrics.deltasReceived(),
        metrics.deltasDropped(), metrics.bytesSent(), metrics.bytesReceived(), metrics.rounds(), metrics.healed(),
        metrics.lastFullSyncMs());
  }
}
