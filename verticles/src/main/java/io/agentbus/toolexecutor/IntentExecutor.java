package io.agentbus.toolexecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Json;
import io.agentbus.api.TaskError;
import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolOutcome;
import io.agentbus.toolexecutor.ToolMetrics.Resolution;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each intent's tool call at most once across all deliveries and all nodes, with the idempotency ledger:
 * <ul>
 *   <li>a new intent is claimed ({@code started}, this executor, attempt 1), run, and its outcome recorded
 *       ({@code finished}); every later delivery gets the recorded outcome;</li>
 *   <li>an intent already {@code started} by a live owner within its lease is waited for;</li>
 *   <li>an intent {@code started} by an owner that is gone (its member left the cluster, or its lease ran out) was
 *       interrupted by a crash: an idempotent call is taken over and run again, any other is recorded
 *       {@link ErrorCode#TOOL_IN_DOUBT};</li>
 *   <li>an intent whose key was recorded for another tool or other arguments gets {@link ErrorCode#TOOL_CALL_CONFLICT}
 *       (nothing is recorded for it).</li>
 * </ul>
 * Deliveries of one intent to this executor while it runs share the one run. Used on the executor's context.
 */
final class IntentExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(IntentExecutor.class);
  private static final long POLL_MS = 200;
  private static final int FINISH_TRIES = 25;

  private final Vertx vertx;
  private final ToolRegistry registry;
  private final ToolCallRunner runner;
  private final IdempotencyLedger ledger;
  private final HazelcastInstance hazelcast;
  private final ToolMetrics metrics;
  private final String nodeId;
  private final long graceMs;
  private final boolean holdAfterEffect;
  private final String instanceId = UUID.randomUUID().toString();
  private final Map<String, Future<ToolOutcome>> running = new HashMap<>();

  IntentExecutor(Vertx vertx, ToolRegistry registry, ToolCallRunner runner, IdempotencyLedger ledger,
                 HazelcastInstance hazelcast, ToolMetrics metrics, String nodeId, long graceMs,
                 boolean holdAfterEffect) {
    this.vertx = vertx;
    this.registry = registry;
    this.runner = runner;
    this.ledger = ledger;
    this.hazelcast = hazelcast;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.graceMs = graceMs;
    this.holdAfterEffect = holdAfterEffect;
  }

  /**
   * The outcome of an intent whose tool is registered: the recorded one, or that of running it now. Fails only when
   * the ledger cannot be reached (the intent is then to be delivered again).
   */
  Future<ToolOutcome> execute(ToolIntent intent) {
    Optional<ToolOutcome> rejected = runner.rejection(intent.tool(), intent.id(), intent.arguments());
    if (rejected.isPresent()) {
      metrics.intent(Resolution.REJECTED);
      return Future.succeededFuture(rejected.get());
    }
    String key = intent.key();
    Future<ToolOutcome> current = running.get(key);
    if (current != null) {
      metrics.intent(Resolution.DUPLICATE);
      // each waiting delivery is answered in an event-loop task of its own, not all in the one that ends the run
      return current.compose(outcome -> {
        Promise<ToolOutcome> own = Promise.promise();
        vertx.runOnContext(v -> own.complete(outcome));
        return own.future();
      });
    }
    Future<ToolOutcome> outcome = resolve(intent, registry.find(intent.tool()));
    if (!outcome.isComplete()) {
      running.put(key, outcome);
      outcome.onComplete(done -> running.remove(key));
    }
    return outcome;
  }

  private Future<ToolOutcome> resolve(ToolIntent intent, RegisteredTool tool) {
    String fingerprint = fingerprint(intent);
    LedgerEntry first = started(tool, intent, fingerprint, 1);
    return ledger.claim(intent.key(), first).compose(change -> {
      if (change.made()) {
        metrics.intent(Resolution.EXECUTED);
        return run(intent, tool, first);
      }
      return settle(intent, tool, fingerprint, change.entry());
    });
  }

  // the key is taken: wait for its owner, answer from the record, or take over after a crash
  private Future<ToolOutcome> settle(ToolIntent intent, RegisteredTool tool, String fingerprint, LedgerEntry entry) {
    if (entry == null) {
      return resolve(intent, tool); // it expired in between: claim again
    }
    if (!entry.fingerprint().equals(fingerprint)) {
      metrics.intent(Resolution.CONFLICT);
      return Future.succeededFuture(ToolOutcome.failure(intent.id(), intent.tool(), TaskError.of(
          ErrorCode.TOOL_CALL_CONFLICT, "call " + intent.id() + " of " + intent.source()
              + " was already made with another tool or other arguments"), 0));
    }
    if (entry.finished()) {
      metrics.intent(Resolution.DUPLICATE);
      return Future.succeededFuture(entry.outcome());
    }
    if (ownerAlive(entry) && System.currentTimeMillis() < entry.leaseUntil()) {
      Promise<Void> pause = Promise.promise();
      vertx.setTimer(POLL_MS, id -> pause.complete());
      return pause.future().compose(v -> ledger.get(intent.key()))
          .compose(now -> settle(intent, tool, fingerprint, now));
    }
    return afterCrash(intent, tool, entry);
  }

  private Future<ToolOutcome> afterCrash(ToolIntent intent, RegisteredTool tool, LedgerEntry entry) {
    String fingerprint = entry.fingerprint();
    if (tool.idempotentFor(ToolCallRunner.orNull(intent.arguments()))) {
      LedgerEntry next = started(tool, intent, fingerprint, entry.attempt() + 1);
      return ledger.takeOver(intent.key(), entry.attempt(), next).compose(change -> {
        if (!change.made()) {
          return settle(intent, tool, fingerprint, change.entry());
        }
        LOG.info("running intent {} of {} again: its owner {} died while it ran (tool {} is idempotent)",
            intent.id(), intent.source(), entry.ownerNode(), tool.name());
        metrics.intent(Resolution.RETRIED_AFTER_CRASH);
        return run(intent, tool, next);
      });
    }
    ToolOutcome inDoubt = ToolOutcome.failure(intent.id(), tool.name(), TaskError.of(ErrorCode.TOOL_IN_DOUBT,
        "node " + entry.ownerNode() + " stopped while it ran tool " + tool.name() + " for this call; the tool is not"
            + " idempotent, so it is not run again and may or may not have taken effect"), 0);
    return ledger.finish(intent.key(), entry.finish(inDoubt, System.currentTimeMillis())).compose(change -> {
      if (!change.made()) {
        return settle(intent, tool, fingerprint, change.entry());
      }
      LOG.warn("intent {} of {} is in doubt: node {} stopped while it ran tool {}", intent.id(), intent.source(),
          entry.ownerNode(), tool.name());
      metrics.intent(Resolution.IN_DOUBT);
      return Future.succeededFuture(inDoubt);
    });
  }

  private Future<ToolOutcome> run(ToolIntent intent, RegisteredTool tool, LedgerEntry claim) {
    // the outcome as JSON gives it back (a decimal becomes a double, say): every copy, from the ledger, the topic or
    // the event bus, is then the same value
    return runner.run(tool, intent).map(ran -> Json.fromBytes(Json.toBytes(ran), ToolOutcome.class)).compose(outcome -> {
      if (holdAfterEffect) {
        LOG.warn("test hook tools.test.hold-at=after-effect: holding intent {} after its tool ran", intent.id());
        return Promise.<ToolOutcome>promise().future();
      }
      return record(intent, claim.finish(outcome, System.currentTimeMillis()), FINISH_TRIES)
          .compose(change -> change.made() || change.entry() == null
              ? Future.succeededFuture(outcome)
              : settle(intent, tool, claim.fingerprint(), change.entry()));
    });
  }

  // the tool ran: its outcome must not be lost to a passing ledger failure, or a retry would find the call in doubt
  private Future<IdempotencyLedger.Change> record(ToolIntent intent, LedgerEntry finished, int triesLeft) {
    return ledger.finish(intent.key(), finished).recover(err -> {
      if (triesLeft <= 1) {
        return Future.failedFuture(err);
      }
      LOG.warn("recording the outcome of intent {} failed ({}); trying again", intent.id(), err.toString());
      Promise<Void> pause = Promise.promise();
      vertx.setTimer(POLL_MS, id -> pause.complete());
      return pause.future().compose(v -> record(intent, finished, triesLeft - 1));
    });
  }

  private LedgerEntry started(RegisteredTool tool, ToolIntent intent, String fingerprint, int attempt) {
    long now = System.currentTimeMillis();
    long lease = now + ToolCallRunner.budgetMs(tool, intent) + graceMs;
    return LedgerEntry.started(fingerprint, hazelcast.getCluster().getLocalMember().getUuid().toString(), instanceId,
        nodeId, attempt, now, lease);
  }

  // a member that left the cluster, or this member when the instance is not this executor (a redeployment)
  private boolean ownerAlive(LedgerEntry entry) {
    Member local = hazelcast.getCluster().getLocalMember();
    if (local.getUuid().toString().equals(entry.ownerMember())) {
      return instanceId.equals(entry.ownerInstance());
    }
    return hazelcast.getCluster().getMembers().stream()
        .anyMatch(m -> m.getUuid().toString().equals(entry.ownerMember()));
  }

  /** The tool and a hash of the arguments (JSON object hashes do not depend on the order of members). */
  static String fingerprint(ToolIntent intent) {
    JsonNode arguments = ToolCallRunner.orNull(intent.arguments());
    return intent.tool() + ":" + Integer.toHexString(arguments.hashCode());
  }
}
