package io.agentbus.membership;

import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy and state transfer between two nodes, both directions healed in one round:
 * <ol>
 *   <li>the initiator requests {@code node.<peer>.hashes} with its hash of every shard;</li>
 *   <li>the peer answers with its digests of the shards that differ, and streams whole the shards the initiator has
 *       nothing of (a joining node gets the full state this way, in chunks, at once);</li>
 *   <li>the initiator streams what the peer lacks according to those digests and sends its own digests of the same
 *       shards to {@code node.<peer>.digests}, to which the peer answers by streaming what the initiator lacks.</li>
 * </ol>
 * Digests of at most {@value #MAX_DIGEST_BYTES} bytes go in one answer; when more shards differ the answer says so and
 * the initiator runs another round at once. Streams go to {@code node.<id>.patches}. Event-loop confined.
 */
final class AntiEntropy {

  static final String HASHES = "hashes";
  static final String DIGESTS = "digests";
  static final String PATCHES = "patches";

  private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);
  private static final long REQUEST_TIMEOUT_MS = 5000;
  private static final long TRANSFER_TIMEOUT_MS = 30_000;
  private static final int MAX_DIGEST_BYTES = 512 * 1024;
  private static final int MAX_FOLLOW_UPS = 64;
  /** Larger membership messages are decoded on a worker of the shared {@link #DECODERS} pool. */
  static final int INLINE_DECODE_BYTES = 32 * 1024;
  static final String DECODERS = "agentbus-membership-decoders";
  static final int DECODER_THREADS = 2;
  /** Round id of streams nobody waits for. */
  private static final long UNTRACKED = 0;

  private final Vertx vertx;
  private final MembershipCore core;
  private final Peers peers;
  private final MembershipMetrics metrics;
  private final Supplier<MembershipWire.Sender> sender;
  private final Consumer<MembershipCore.Outcome> publish;
  private final PatchStreamer streamer;
  private final Map<Long, Transfer> transfers = new HashMap<>();
  private final WorkerExecutor decoders;
  private long nextRound = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
  private boolean roundRunning;
  /** While the start-up transfer streams in, this node's state is partial: it neither starts nor answers rounds. */
  private boolean receivingStartUpState;

  AntiEntropy(Vertx vertx, MembershipCore core, Peers peers, MembershipMetrics metrics,
              Supplier<MembershipWire.Sender> sender, Consumer<MembershipCore.Outcome> publish) {
    this.vertx = vertx;
    this.core = core;
    this.peers = peers;
    this.metrics = metrics;
    this.sender = sender;
    this.publish = publish;
    this.streamer = new PatchStreamer(vertx, sender);
    this.decoders = vertx.createSharedWorkerExecutor(DECODERS, DECODER_THREADS);
  }

  void close() {
    decoders.close();
  }

  List<MessageConsumer<Buffer>> listen(EventBus bus) {
    String node = core.nodeId();
    return List.of(
        bus.consumer(Addresses.membershipOn(node, HASHES), this::onHashes),
        bus.consumer(Addresses.membershipOn(node, DIGESTS), this::onDigests),
        bus.consumer(Addresses.membershipOn(node, PATCHES), this::onPatches));
  }

  /**
   * The start-up transfer: one round with the first peer that answers, waiting until the shards streamed for it have
   * all arrived. Succeeds at once without peers; fails if none answers.
   */
  Future<Void> syncAtStart() {
    List<String> candidates = new ArrayList<>(peers.otherNodeIds());
    Collections.shuffle(candidates);
    long begin = System.nanoTime();
    return tryPeers(candidates.iterator()).onSuccess(v -> {
      if (!candidates.isEmpty()) {
        long nanos = System.nanoTime() - begin;
        metrics.startUpSync(nanos);
        LOG.info("start-up state transfer: {} agents in {} ms", core.view().size(), nanos / 1_000_000);
      }
    });
  }

  private Future<Void> tryPeers(Iterator<String> candidates) {
    if (!candidates.hasNext()) {
      return Future.succeededFuture();
    }
    String peer = candidates.next();
    return round(peer, 0, true).recover(err -> {
      LOG.debug("start-up sync with {} failed: {}", peer, err.toString());
      return candidates.hasNext() ? tryPeers(candidates) : Future.failedFuture(err);
    });
  }

  /** One periodic round with a random other node; skipped while the previous one still runs. */
  void tick() {
    List<String> others = peers.otherNodeIds();
    if (others.isEmpty() || roundRunning || receivingStartUpState) {
      return;
    }
    roundRunning = true;
    round(others.get(ThreadLocalRandom.current().nextInt(others.size())), 0, false)
        .onComplete(ar -> roundRunning = false);
  }

  /**
   * One round; with {@code awaitTransfer} it completes only when the shards the peer streams whole have arrived,
   * else when the peer has answered (what it streams is merged whenever it arrives).
   */
  private Future<Void> round(String peer, int followUps, boolean awaitTransfer) {
    long round = nextRound++;
    long begin = System.nanoTime();
    Transfer transfer = new Transfer();
    transfers.put(round, transfer);
    Buffer hashes = MembershipWire.hashes(sender.get(), round, core.state().hashes());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);
    return vertx.eventBus().<Buffer>request(Addresses.membershipOn(peer, HASHES), hashes, options)
        .onFailure(err -> {
          transfers.remove(round);
          metrics.round(false, 0);
        })
        .compose(reply -> {
          MembershipWire.Digests answer = (MembershipWire.Digests) MembershipWire.decode(reply.body());
          metrics.round(true, System.nanoTime() - begin);
          exchange(peer, answer);
          Future<Void> streamed = Future.succeededFuture();
          if (answer.pushing() && awaitTransfer) {
            receivingStartUpState = true;
            streamed = transfer.awaited(vertx, round, transfers).onComplete(ar -> receivingStartUpState = false);
          } else {
            transfers.remove(round);
          }
          return answer.truncated() && followUps < MAX_FOLLOW_UPS
              ? streamed.compose(v -> round(peer, followUps + 1, awaitTransfer)) : streamed;
        });
  }

  /** Step three: stream what the peer lacks, and ask for what this node lacks of the same shards. */
  private void exchange(String peer, MembershipWire.Digests answer) {
    if (answer.digests().isEmpty()) {
      return;
    }
    List<ShardDigest> theirs = answer.digests();
    streamer.stream(Addresses.membershipOn(peer, PATCHES), UNTRACKED,
        theirs.stream().map(d -> core.state().missingFor(d)).iterator(), false);
    List<ShardDigest> mine = theirs.stream().map(d -> core.state().digest(d.shard())).toList();
    vertx.eventBus().send(Addresses.membershipOn(peer, DIGESTS),
        MembershipWire.digests(sender.get(), UNTRACKED, false, false, mine));
  }

  private void onHashes(Message<Buffer> msg) {
    if (receivingStartUpState) {
      msg.fail(ErrorCode.UNAVAILABLE.code(), "node " + core.nodeId() + " is receiving its start-up state");
      return;
    }
    MembershipWire.Hashes request = decode(msg, MembershipWire.Hashes.class);
    if (request == null) {
      return;
    }
    long[] mine = core.state().hashes();
    long[] theirs = request.hashes();
    List<Integer> whole = new ArrayList<>();
    List<ShardDigest> digests = new ArrayList<>();
    int bytes = 0;
    boolean truncated = false;
    for (int k = 0; k < mine.length; k++) {
      if (mine[k] == theirs[k]) {
        continue;
      }
      if (theirs[k] == 0) {
        whole.add(k);
      } else if (bytes < MAX_DIGEST_BYTES) {
        ShardDigest digest = core.state().digest(k);
        digests.add(digest);
        bytes += PatchCodec.sizeOf(digest);
      } else {
        truncated = true;
      }
    }
    msg.reply(MembershipWire.digests(sender.get(), request.round(), !whole.isEmpty(), truncated, digests));
    if (!whole.isEmpty()) {
      streamer.stream(Addresses.membershipOn(request.from().nodeId(), PATCHES), request.round(),
          whole.stream().map(k -> core.state().whole(k)).iterator(), true);
    }
  }

  private void onDigests(Message<Buffer> msg) {
    MembershipWire.Digests digests = decode(msg, MembershipWire.Digests.class);
    if (digests != null) {
      streamer.stream(Addresses.membershipOn(digests.from().nodeId(), PATCHES), UNTRACKED,
          digests.digests().stream().map(d -> core.state().missingFor(d)).iterator(), false);
    }
  }

  // a big chunk is decoded on a worker (two at once), merged on the event loop: order does not matter to a CRDT
  private void onPatches(Message<Buffer> msg) {
    if (msg.body().length() < INLINE_DECODE_BYTES) {
      merge(decode(msg, MembershipWire.Patches.class));
      return;
    }
    decoders.executeBlocking(() -> decode(msg, MembershipWire.Patches.class), false).onSuccess(this::merge);
  }

  private void merge(MembershipWire.Patches patches) {
    if (patches == null) {
      return;
    }
    MembershipCore.Outcome outcome = core.mergeRemote(patches.patches());
    metrics.healed(outcome.agentsChanged());
    publish.accept(outcome);
    Transfer transfer = patches.round() == UNTRACKED ? null : transfers.get(patches.round());
    if (transfer != null && transfer.received(patches.chunk(), patches.last())) {
      transfers.remove(patches.round());
    }
  }

  /** The message as {@code type}, or null after counting and refusing it. Thread-safe. */
  private <T extends MembershipWire.Message> T decode(Message<Buffer> msg, Class<T> type) {
    try {
      MembershipWire.Message decoded = MembershipWire.decode(msg.body());
      if (type.isInstance(decoded)) {
        return type.cast(decoded);
      }
      throw new MalformedMessageException("expected " + type.getSimpleName() + " on " + msg.address());
    } catch (MalformedMessageException e) {
      metrics.rejected();
      LOG.debug("refused a membership message on {}: {}", msg.address(), e.getMessage());
      if (msg.replyAddress() != null) {
        msg.fail(ErrorCode.INVALID_REQUEST.code(), e.getMessage());
      }
      return null;
    }
  }

  /** The chunks of one announced stream: done when the last one and every one before it arrived. */
  private static final class Transfer {
    private final Promise<Void> done = Promise.promise();
    private int received;
    private int total = -1;

    Future<Void> awaited(Vertx vertx, long round, Map<Long, Transfer> transfers) {
      long timer = vertx.setTimer(TRANSFER_TIMEOUT_MS, t -> {
        transfers.remove(round);
        done.tryFail("the state transfer of round " + round + " did not complete in time");
      });
      return done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    boolean received(int chunk, boolean last) {
      received++;
      if (last) {
        total = chunk + 1;
      }
      if (total >= 0 && received >= total) {
        done.tryComplete();
        return true;
      }
      return false;
    }
  }
}
