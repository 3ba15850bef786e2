package io.agentbus.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskError;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskView;
import io.agentbus.api.Tenants;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Instant;
import java.util.TreeSet;

/**
 * Accepts tasks. A task exists only once its submitted event is acknowledged by Kafka; then it is owned, timed and
 * dispatched. An Idempotency-Key makes a repeat return the first task (reply header {@value #REPLAYED}).
 */
final class Submissions {

  /** Reply header set when the reply is the task of an earlier submit with the same Idempotency-Key. */
  static final String REPLAYED = "agentbus-replayed";
  /** Longer than any accept can take (the Kafka producer gives up after 30 s). */
  private static final long ACCEPT_WINDOW_MS = 60_000;
  private static final int MAX_SESSION_ID = 128;

  private final Vertx vertx;
  private final NodeContext node;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final IdempotencyKeys keys;
  private final OwnerRequests owners;
  private final SessionGate sessions;
  private final long defaultTimeoutMs;
  private final long maxTimeoutMs;

  Submissions(Vertx vertx, NodeContext node, TaskBook book, Dispatcher dispatcher, IdempotencyKeys keys,
              OwnerRequests owners, SessionGate sessions) {
    this.sessions = sessions;
    this.vertx = vertx;
    this.node = node;
    this.book = book;
    this.dispatcher = dispatcher;
    this.keys = keys;
    this.owners = owners;
    this.defaultTimeoutMs = node.config().getLong(Setting.TASKS_DEFAULT_TIMEOUT_MS);
    this.maxTimeoutMs = node.config().getLong(Setting.TASKS_MAX_TIMEOUT_MS);
  }

  void submit(Message<SubmitTask> msg) {
    SubmitTask submit = msg.body();
    try {
      check(submit);
    } catch (AgentbusException e) {
      Failures.fail(msg, e);
      return;
    }
    long timeoutMs = submit.timeoutMs() == null ? defaultTimeoutMs : submit.timeoutMs();
    String id = TaskIds.next(node.nodeId());
    if (submit.idempotencyKey() == null) {
      accept(msg, submit, id, timeoutMs);
      return;
    }
    String fingerprint = IdempotencyKeys.fingerprint(submit);
    keys.claim(submit.idempotencyKey(), fingerprint, id)
        .onFailure(err -> Failures.fail(msg, new AgentbusException(ErrorCode.UNAVAILABLE,
            "the idempotency store did not answer: " + err.getMessage())))
        .onSuccess(claim -> {
          if (claim.won()) {
            accept(msg, submit, id, timeoutMs);
          } else if (!claim.existingFingerprint().equals(fingerprint)) {
            Failures.fail(msg, new AgentbusException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "Idempotency-Key was used for task " + claim.existingTaskId() + " with a different request"));
          } else {
            replay(msg, submit, claim);
          }
        });
  }

  private void check(SubmitTask submit) {
    if (submit == null || submit.agentType() == null || submit.agentType().isBlank()) {
      throw new AgentbusException(ErrorCode.INVALID_REQUEST, "agent_type is required");
    }
    if (node.lifecycle().isDraining()) {
      throw new AgentbusException(ErrorCode.NODE_DRAINING, "node " + node.nodeId() + " is shutting down");
    }
    if (!book.holds() || node.lifecycle().ownershipLost()) {
      throw book.notHeld();
    }
    if (!dispatcher.knowsType(submit.agentType())) {
      throw new AgentbusException(ErrorCode.UNKNOWN_AGENT_TYPE, "no agent of type '" + submit.agentType()
          + "' is registered; known types: " + new TreeSet<>(dispatcher.knownTypes()));
    }
    if (submit.timeoutMs() != null && (submit.timeoutMs() < 1 || submit.timeoutMs() > maxTimeoutMs)) {
      throw new AgentbusException(ErrorCode.INVALID_REQUEST, "timeout_ms must be between 1 and " + maxTimeoutMs);
    }
    if (submit.sessionId() != null && (submit.sessionId().isBlank() || submit.sessionId().length() > MAX_SESSION_ID
        || !submit.sessionId().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw new AgentbusException(ErrorCode.INVALID_REQUEST, "session_id must be 1 to " + MAX_SESSION_ID
          + " printable ASCII characters without spaces");
    }
    if (dispatcher.saturated(submit.agentType())) {
      throw new AgentbusException(ErrorCode.QUEUE_FULL, "every '" + submit.agentType()
          + "' agent is busy and the queue is full");
    }
  }

  private void accept(Message<SubmitTask> msg, SubmitTask submit, String id, long timeoutMs) {
    if (submit.sessionId() == null) {
      accept(msg, submit, id, timeoutMs, null);
      return;
    }
    sessions.join(Tenants.of(submit.metadata()), submit.sessionId(), id, submit.onBusy()).onComplete(joined -> {
      if (joined.failed()) {
        if (submit.idempotencyKey() != null) {
          keys.release(submit.idempotencyKey());
        }
        Failures.fail(msg, Failures.toException(joined.cause()));
      } else {
        accept(msg, submit, id, timeoutMs, joined.result());
      }
    });
  }

  private void accept(Message<SubmitTask> msg, SubmitTask submit, String id, long timeoutMs,
                      SessionLines.JoinOutcome joined) {
    TaskSpec spec = new TaskSpec(id, submit.agentType(), submit.input(), submit.metadata(), timeoutMs, Instant.now(),
        submit.idempotencyKey(), submit.traceparent());
    TaskRecord task = new TaskRecord(spec, node.nodeId());
    task.sessionId = submit.sessionId();
    ObjectNode data = spec.toData().put("owner_node", node.nodeId());
    if (submit.sessionId() != null) {
      data.put("session_id", submit.sessionId());
    }
    TaskEvent submitted = task.append(TaskEventType.SUBMITTED, data, task.createdAt);
    book.accept(task, submitted)
        .onFailure(err -> {
          if (submit.idempotencyKey() != null) {
            keys.release(submit.idempotencyKey());
          }
          if (joined != null) {
            sessions.withdraw(Tenants.of(submit.metadata()), submit.sessionId(), id);
          }
          Failures.fail(msg, err instanceof AgentbusException e ? e : new AgentbusException(ErrorCode.LOG_UNAVAILABLE,
              "Kafka did not acknowledge the task: " + err.getMessage()));
        })
        .onSuccess(v -> {
          if (task.abandoned) {
            msg.reply(task.view());
            return;
          }
          dispatcher.arm(task);
          if (joined == null) {
            dispatcher.dispatch(task);
          } else {
            sessions.accepted(task, joined);
          }
          book.awaitSettled(task, submit.waitMs()).onSuccess(msg::reply);
        });
  }

  private void replay(Message<SubmitTask> msg, SubmitTask submit, IdempotencyKeys.Claim claim) {
    DeliveryOptions replayed = new DeliveryOptions().addHeader(REPLAYED, "true");
    String taskId = claim.existingTaskId();
    TaskRecord owned = book.get(taskId);
    if (owned != null) {
      book.awaitSettled(owned, submit.waitMs()).onSuccess(view -> msg.reply(view, replayed));
      return;
    }
    String acceptedBy = TaskIds.acceptedBy(taskId);
    if (acceptedBy == null || acceptedBy.equals(node.nodeId())) {
      notHere(msg, claim);
      return;
    }
    owners.<TaskView>request(taskId, acceptedBy, Addresses.SCHEDULER_GET, new TaskRef(taskId, submit.waitMs()),
            submit.waitMs() + 30_000)
        .onSuccess(reply -> msg.reply(reply.body(), replayed))
        .onFailure(err -> notHere(msg, claim));
  }

  // the key's task is not (or no longer) held by its owner: still being accepted, or ended and forgotten
  private void notHere(Message<SubmitTask> msg, IdempotencyKeys.Claim claim) {
    if (System.currentTimeMillis() - claim.claimedAtMs() < ACCEPT_WINDOW_MS) {
      Failures.fail(msg, new AgentbusException(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          "the first request with this Idempotency-Key is still being accepted"));
    } else {
      Failures.fail(msg, new AgentbusException(ErrorCode.IDEMPOTENT_TASK_EXPIRED, "task " + claim.existingTaskId()
          + " was created with this Idempotency-Key, has ended, and is no longer retained"));
    }
  }
}
