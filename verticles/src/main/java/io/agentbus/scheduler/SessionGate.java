package io.agentbus.scheduler;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.CancelTask;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.OnBusy;
import io.agentbus.api.TaskRef;
import io.agentbus.api.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of one session one at a time, cluster-wide, through {@link SessionLines}: a submit joins its
 * session's line before it is accepted (a refused one leaves no trace), a queued task stays SUBMITTED until the task
 * before it settles, and the owner of the task that settles tells the owner of the next one to start it. An
 * interrupting submit cancels the running task with reason {@value OnBusy#INTERRUPT_REASON} and runs next.
 * Event-loop confined.
 */
final class SessionGate {

  private static final Logger LOG = LoggerFactory.getLogger(SessionGate.class);
  private static final int START_ATTEMPTS = 5;
  private static final long START_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final SessionLines lines;
  private final String nodeId;
  /** Tasks told to start before their acceptance completed here. */
  private final Set<String> earlyStarts = new HashSet<>();
  /** Tasks of sessions dispatched by this gate and not settled yet: a repeated start changes nothing. */
  private final Set<String> started = new HashSet<>();

  SessionGate(Vertx vertx, TaskBook book, Dispatcher dispatcher, SessionLines lines, String nodeId) {
    this.vertx = vertx;
    this.book = book;
    this.dispatcher = dispatcher;
    this.lines = lines;
    this.nodeId = nodeId;
  }

  /** Puts a task about to be accepted in its session's line; fails with SESSION_BUSY for a refused REJECT. */
  Future<SessionLines.JoinOutcome> join(String tenant, String sessionId, String taskId, OnBusy onBusy) {
    return lines.join(io.agentbus.api.Tenants.scoped(tenant, sessionId), new SessionLines.Place(taskId, nodeId), onBusy)
        .recover(err -> Future.failedFuture(new AgentbusException(ErrorCode.UNAVAILABLE,
            "the session store did not answer: " + err.getMessage())))
        .compose(outcome -> switch (outcome.joined()) {
          case BUSY -> Future.failedFuture(new AgentbusException(ErrorCode.SESSION_BUSY, "task "
              + outcome.runningTask() + " of session " + sessionId
              + " is running; submit with on_busy enqueue or interrupt to wait or take over"));
          case FULL -> Future.failedFuture(new AgentbusException(ErrorCode.QUEUE_FULL, "session " + sessionId
              + " has as many tasks waiting as sessions.max-waiting allows"));
          default -> Future.succeededFuture(outcome);
        });
  }

  /** A joined task was not accepted after all: it leaves its line. */
  void withdraw(String tenant, String sessionId, String taskId) {
    earlyStarts.remove(taskId);
    left(io.agentbus.api.Tenants.scoped(tenant, sessionId), taskId);
  }

  /** Starts an accepted task as its join said: now, or when its turn comes (interrupting the running one). */
  void accepted(TaskRecord task, SessionLines.JoinOutcome outcome) {
    switch (outcome.joined()) {
      case STARTED -> startNow(task);
      case INTERRUPTING -> vertx.eventBus().request(Addresses.SCHEDULER_CANCEL,
              new CancelTask(outcome.runningTask(), OnBusy.INTERRUPT_REASON),
              new DeliveryOptions().setSendTimeout(START_TIMEOUT_MS))
          .onFailure(err -> LOG.debug("interrupt of {} for {}: {}", outcome.runningTask(), task.id, err.toString()));
      default -> {
      }
    }
    if (earlyStarts.remove(task.id)) {
      startNow(task);
    }
  }

  /** A task of a session settled: the next one of its session may start. */
  void settled(TaskRecord task) {
    if (task.sessionId != null) {
      started.remove(task.id);
      left(task.sessionKey(), task.id);
    }
  }

  private void left(String sessionKey, String taskId) {
    lines.leave(sessionKey, taskId)
        .onFailure(err -> LOG.warn("session {}: {} could not leave its line: {}", sessionKey, taskId, err.toString()))
        .onSuccess(next -> {
          if (next != null) {
            tellToStart(next, 1);
          }
        });
  }

  private void tellToStart(SessionLines.Place next, int attempt) {
    vertx.eventBus().request(Addresses.schedulerSessionStart(next.node()), new TaskRef(next.task(), 0),
            new DeliveryOptions().setSendTimeout(START_TIMEOUT_MS))
        .onFailure(err -> {
          if (attempt < START_ATTEMPTS) {
            vertx.setTimer(200L * attempt, t -> tellToStart(next, attempt + 1));
          } else {
            LOG.warn("could not tell node {} to start task {}: {}", next.node(), next.task(), err.toString());
          }
        });
  }

  /**
   * Gets a task taken over from another node going: a hibernating one is woken by {@code wake}; a task of a session
   * is moved to this node in its line first and started only if it is the session's running task (else its start
   * comes to this node when its turn comes); any other task is dispatched.
   */
  void adopted(TaskRecord task, java.util.function.Consumer<TaskRecord> wake) {
    if (task.sessionId == null) {
      if (task.asleepIn != null) {
        wake.accept(task);
      } else {
        dispatcher.dispatch(task);
      }
      return;
    }
    lines.rehome(task.sessionKey(), task.id, nodeId).onComplete(ar -> {
      // the store did not answer: run the task rather than leave it waiting for a start that may never come
      boolean first = ar.failed() || ar.result();
      if (task.asleepIn != null) {
        wake.accept(task);
      } else if (first) {
        startNow(task);
      }
    });
  }

  /** The owner's side of a start: the task is first in its session now. */
  void onStart(Message<TaskRef> msg) {
    TaskRecord task = book.get(msg.body().taskId());
    if (task == null) {
      earlyStarts.add(msg.body().taskId());
    } else {
      startNow(task);
    }
    msg.reply(null);
  }

  private void startNow(TaskRecord task) {
    if (!task.isTerminal() && !task.abandoned && task.state() == TaskState.SUBMITTED && started.add(task.id)) {
      dispatcher.dispatch(task);
    }
  }
}
