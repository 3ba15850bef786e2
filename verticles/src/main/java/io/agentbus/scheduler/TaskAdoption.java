package io.agentbus.scheduler;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the tasks of a lost node. When Hazelcast reports a member gone, every survivor waits until the lost
 * node's recovery checkpoint is older than its owner lease (by then the lost node, if it still runs, has stopped
 * writing about its tasks) and tries to claim its recovery marks; the one that wins reads the tasks topic from those
 * marks, and every task whose last event the lost node wrote and that has no terminal event becomes its own: same
 * id, its sequence continued, a {@code requeued} event carrying the whole task, a new attempt (the previous agent is
 * told to stop), the remaining deadline. A node that comes back is left alone: it takes back itself whatever it gave
 * up ({@link #takeOverOwn}). A node that starts also takes over what nodes lost while nobody was running left behind.
 */
final class TaskAdoption implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(TaskAdoption.class);
  private static final Duration SCAN_BOUND = Duration.ofSeconds(120);
  private static final long RETRY_MS = 2000;

  private final Vertx vertx;
  private final Context context;
  private final NodeContext node;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private java.util.function.Consumer<TaskRecord> restart;
  private final RecoveryCheckpoints checkpoints;
  private final BooleanSupplier holdsOwnTasks;
  private final String topic;
  private final long waitMs;
  private final Counter adopted;
  private final Counter takenBack;
  private final Counter unrecoverable;
  private final Set<String> inProgress = new HashSet<>();
  private UUID listener;
  private boolean stopped;

  /** @param holdsOwnTasks whether this scheduler holds its own tasks: only then does it take over others' */
  TaskAdoption(Vertx vertx, Context context, NodeContext node, TaskBook book, Dispatcher dispatcher,
               RecoveryCheckpoints checkpoints, BooleanSupplier holdsOwnTasks) {
    this.vertx = vertx;
    this.context = context;
    this.node = node;
    this.book = book;
    this.dispatcher = dispatcher;
    this.restart = dispatcher::dispatch;
    this.checkpoints = checkpoints;
    this.holdsOwnTasks = holdsOwnTasks;
    this.topic = node.config().get(Setting.KAFKA_TOPIC_TASKS);
    this.waitMs = node.config().getLong(Setting.TASKS_OWNER_LEASE_MS) + OwnerLease.MARGIN_MS;
    this.adopted = Counter.builder("agentbus.tasks.adopted")
        .description("Tasks taken over from lost nodes").register(node.registry());
    this.takenBack = Counter.builder("agentbus.tasks.taken.back")
        .description("Tasks this scheduler had given up (it lost its lease) and took over again itself")
        .register(node.registry());
    this.unrecoverable = Counter.builder("agentbus.tasks.unrecoverable")
        .description("Tasks of lost nodes whose definition could not be found in the log").register(node.registry());
  }

  /** Listens for lost members and takes over what earlier lost nodes left behind. */
  /** What gets a task going again once it is taken over (by default: dispatch it). */
  void restartBy(java.util.function.Consumer<TaskRecord> restart) {
    this.restart = restart;
  }

  void start() {
    HazelcastInstance hz = node.hazelcast();
    listener = hz.getCluster().addMembershipListener(this);
    takeOverOrphans();
  }

  void stop() {
    stopped = true;
    if (listener != null) {
      node.hazelcast().getCluster().removeMembershipListener(listener);
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    // nothing to take over
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String lost = event.getMember().getAttribute(ClusterMembers.NODE_ID_ATTRIBUTE);
    if (lost != null) {
      context.runOnContext(v -> takeOver(lost));
    }
  }

  /**
   * Takes over this node's own tasks that it gave up and nobody else took (their last event is this node's and none
   * ended), reading the tasks topic from {@code from}. Used when the scheduler holds its checkpoint again.
   */
  Future<Void> takeOverOwn(Map<Integer, Long> from) {
    LOG.info("taking back this node's own tasks that it gave up and nobody took over");
    return adoptAll(from, node.nodeId(), false);
  }

  private void takeOverOrphans() {
    checkpoints.orphans(ClusterMembers.liveNodeIds(node.hazelcast()))
        .onFailure(err -> {
          LOG.debug("recovery marks not readable yet ({}); retrying", err.toString());
          if (!stopped) {
            vertx.setTimer(RETRY_MS, t -> takeOverOrphans());
          }
        })
        .onSuccess(orphans -> orphans.stream().filter(n -> !n.equals(node.nodeId())).forEach(this::takeOver));
  }

  // a node cut off by a network split, or frozen, still holds its tasks until its lease runs out: only then take them
  private void takeOver(String lostNode) {
    if (stopped || inProgress.contains(lostNode)) {
      return;
    }
    if (ClusterMembers.liveNodeIds(node.hazelcast()).contains(lostNode)) {
      LOG.info("node {} is a member again: it takes back itself whatever it gave up", lostNode);
      return;
    }
    if (!holdsOwnTasks.getAsBoolean()) {
      // a node that lost its own lease may be the one cut off: it takes over nothing until it holds its own again
      vertx.setTimer(RETRY_MS, t -> takeOver(lostNode));
      return;
    }
    checkpoints.age(lostNode)
        .onFailure(err -> retryLater(lostNode, err.toString()))
        .onSuccess(age -> {
          if (age == null) {
            return;
          }
          if (age < waitMs) {
            vertx.setTimer(waitMs - age, t -> takeOver(lostNode));
          } else {
            claim(lostNode);
          }
        });
  }

  private void claim(String lostNode) {
    checkpoints.claim(lostNode, node.nodeId(), ClusterMembers.liveNodeIds(node.hazelcast()), waitMs)
        .onFailure(err -> retryLater(lostNode, err.toString()))
        .onSuccess(claimed -> {
          if (claimed == null) {
            // another live node takes it over, or it renewed: look again later (until its marks are gone)
            vertx.setTimer(waitMs, t -> takeOver(lostNode));
            return;
          }
          if (!inProgress.add(lostNode)) {
            return;
          }
          LOG.info("node {} was lost; taking over its tasks from the tasks topic", lostNode);
          adoptAll(claimed.marks(), lostNode, true).onComplete(ar -> {
            inProgress.remove(lostNode);
            if (ar.succeeded()) {
              checkpoints.release(lostNode, node.nodeId());
            } else {
              retryLater(lostNode, ar.cause().toString());
            }
          });
        });
  }

  private void retryLater(String lostNode, String why) {
    if (stopped) {
      return;
    }
    LOG.warn("taking over the tasks of node {} failed ({}); retrying in {} ms", lostNode, why, RETRY_MS);
    vertx.setTimer(RETRY_MS, t -> takeOver(lostNode));
  }

  // every task of ownerNode from these marks on that ownerNode was the last to write about and that has not ended
  private Future<Void> adoptAll(Map<Integer, Long> from, String ownerNode, boolean lost) {
    long start = System.nanoTime();
    return vertx.executeBlocking(() -> TasksTopicScan.read(node.kafkaBootstrap(), topic, from, SCAN_BOUND))
        .compose(byTask -> {
          List<Future<Void>> adoptions = new ArrayList<>();
          byTask.forEach((taskId, events) -> {
            if (ownedLastBy(events, ownerNode) && !ended(events)) {
              adoptions.add(adopt(taskId, events, ownerNode, lost));
            }
          });
          return Future.join(adoptions).onComplete(ar -> LOG.info("took over {} task(s) of node {} in {} ms{}",
              adoptions.stream().filter(Future::succeeded).count(), ownerNode, (System.nanoTime() - start) / 1_000_000,
              ar.succeeded() ? "" : "; some failed: " + ar.cause()));
        })
        .mapEmpty();
  }

  private static boolean ownedLastBy(List<TasksTopicScan.Recorded> events, String owner) {
    return owner.equals(events.get(events.size() - 1).node());
  }

  private static boolean ended(List<TasksTopicScan.Recorded> events) {
    return events.stream().anyMatch(r -> r.event().type().isTerminal());
  }

  private Future<Void> adopt(String taskId, List<TasksTopicScan.Recorded> recorded, String ownerNode, boolean lost) {
    if (book.get(taskId) != null) {
      return Future.succeededFuture();
    }
    TaskSpec spec = null;
    List<TaskEvent> events = new ArrayList<>();
    for (TasksTopicScan.Recorded r : recorded) {
      events.add(r.event());
      if (r.event().type() == TaskEventType.SUBMITTED || r.event().type() == TaskEventType.REQUEUED) {
        TaskSpec s = TaskSpec.fromData(taskId, r.event().data(), r.event().time(), r.traceparent());
        spec = s != null ? s : spec;
      }
    }
    if (spec == null) {
      unrecoverable.increment();
      LOG.error("task {} of node {} cannot be taken over: its definition is not in the scanned log", taskId,
          ownerNode);
      return Future.succeededFuture();
    }
    TaskRecord task = TaskRecord.restore(spec, events, node.nodeId());
    boolean wasRunning = task.state() == TaskState.ASSIGNED || task.state() == TaskState.RUNNING
        || task.state() == TaskState.COMPENSATING;
    // a lost node's agent may still run it and cannot report anywhere; a task given up here was stopped then
    String previousAgent = wasRunning && lost ? task.agentId() : null;
    int previousEpoch = task.epoch() - 1;
    String reason = lost ? "node " + ownerNode + " was lost" : "its scheduler gave it up and took it back";
    com.fasterxml.jackson.databind.node.ObjectNode data = spec.toData()
        .put("reason", reason).put("adopted_from", ownerNode).put("owner_node", node.nodeId());
    if (task.sessionId != null) {
      data.put("session_id", task.sessionId);
    }
    TaskEvent adoption = task.append(TaskEventType.REQUEUED, data, Instant.now());
    return book.adopt(task, adoption).onSuccess(v -> {
      if (task.abandoned) {
        return;
      }
      (lost ? adopted : takenBack).increment();
      if (previousAgent != null) {
        dispatcher.abandonLostAttempt(previousAgent, taskId, previousEpoch);
      }
      dispatcher.arm(task);
      if (!task.isTerminal()) {
        restart.accept(task);
      }
    });
  }
}
