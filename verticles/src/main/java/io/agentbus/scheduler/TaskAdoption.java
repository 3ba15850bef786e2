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
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the tasks of a lost node. When Hazelcast reports a member gone, every survivor tries to claim the lost
 * node's recovery marks; the one that wins reads the tasks topic from those marks, and every task whose last event
 * the lost node wrote and that has no terminal event becomes its own: same id, its sequence continued, a
 * {@code requeued} event carrying the whole task, a new attempt (the previous agent is told to stop), the
 * remaining deadline. A node that starts also takes over what nodes lost while nobody was running left behind.
 */
final class TaskAdoption implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(TaskAdoption.class);
  private static final Duration SCAN_BOUND = Duration.ofSeconds(120);
  private static final long RETRY_MS = 2000;
  /** Clocks and write latencies differ a little between nodes: wait this much past a lost node's lease. */
  private static final long LEASE_MARGIN_MS = 1000;

  private final Vertx vertx;
  private final Context context;
  private final NodeContext node;
  private final TaskBook book;
  private final Dispatcher dispatcher;
  private final RecoveryCheckpoints checkpoints;
  private final String topic;
  private final long leaseMs;
  private final Counter adopted;
  private final Counter unrecoverable;
  private UUID listener;

  TaskAdoption(Vertx vertx, Context context, NodeContext node, TaskBook book, Dispatcher dispatcher,
               RecoveryCheckpoints checkpoints) {
    this.vertx = vertx;
    this.context = context;
    this.node = node;
    this.book = book;
    this.dispatcher = dispatcher;
    this.checkpoints = checkpoints;
    this.topic = node.config().get(Setting.KAFKA_TOPIC_TASKS);
    this.leaseMs = node.config().getLong(Setting.TASKS_OWNER_LEASE_MS);
    this.adopted = Counter.builder("agentbus.tasks.adopted")
        .description("Tasks taken over from lost nodes").register(node.registry());
    this.unrecoverable = Counter.builder("agentbus.tasks.unrecoverable")
        .description("Tasks of lost nodes whose definition could not be found in the log").register(node.registry());
  }

  /** Listens for lost members and takes over what earlier lost nodes left behind. */
  void start() {
    HazelcastInstance hz = node.hazelcast();
    listener = hz.getCluster().addMembershipListener(this);
    checkpoints.orphans(liveNodes()).onSuccess(orphans -> orphans.stream()
        .filter(n -> !n.equals(node.nodeId())).forEach(this::takeOver));
  }

  void stop() {
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

  private Set<String> liveNodes() {
    return new HashSet<>(ClusterMembers.nodeIds(node.hazelcast()));
  }

  // a node cut off by a network split still holds its tasks until its lease runs out: only then take them over
  private void takeOver(String lostNode) {
    checkpoints.age(lostNode)
        .onFailure(err -> retryLater(lostNode, err))
        .onSuccess(age -> {
          if (age == null) {
            return;
          }
          if (age < leaseMs + LEASE_MARGIN_MS) {
            vertx.setTimer(leaseMs + LEASE_MARGIN_MS - age, t -> takeOver(lostNode));
          } else {
            claim(lostNode);
          }
        });
  }

  private void claim(String lostNode) {
    checkpoints.claim(lostNode, node.nodeId(), liveNodes())
        .onFailure(err -> retryLater(lostNode, err))
        .onSuccess(claimed -> {
          if (claimed != null) {
            LOG.info("node {} was lost; taking over its tasks from the tasks topic", lostNode);
            scanAndAdopt(claimed);
          }
        });
  }

  private void scanAndAdopt(RecoveryCheckpoints.Claimed claimed) {
    long start = System.nanoTime();
    vertx.executeBlocking(() -> TasksTopicScan.read(node.kafkaBootstrap(), topic, claimed.marks(), SCAN_BOUND))
        .onFailure(err -> retryLater(claimed.node(), err))
        .onSuccess(byTask -> {
          List<Future<Void>> adoptions = new ArrayList<>();
          byTask.forEach((taskId, events) -> {
            if (ownedLastBy(events, claimed.node()) && !ended(events)) {
              adoptions.add(adopt(taskId, events, claimed.node()));
            }
          });
          Future.join(adoptions).onComplete(ar -> {
            LOG.info("took over {} task(s) of node {} in {} ms", adoptions.size(), claimed.node(),
                (System.nanoTime() - start) / 1_000_000);
            checkpoints.release(claimed.node());
          });
        });
  }

  private void retryLater(String lostNode, Throwable err) {
    LOG.warn("taking over the tasks of node {} failed ({}); retrying in {} ms", lostNode, err.toString(), RETRY_MS);
    vertx.setTimer(RETRY_MS, t -> takeOver(lostNode));
  }

  private static boolean ownedLastBy(List<TasksTopicScan.Recorded> events, String lostNode) {
    return lostNode.equals(events.get(events.size() - 1).node());
  }

  private static boolean ended(List<TasksTopicScan.Recorded> events) {
    return events.stream().anyMatch(r -> r.event().type().isTerminal());
  }

  private Future<Void> adopt(String taskId, List<TasksTopicScan.Recorded> recorded, String lostNode) {
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
      LOG.error("task {} of lost node {} cannot be taken over: its definition is not in the scanned log", taskId,
          lostNode);
      return Future.succeededFuture();
    }
    TaskRecord task = TaskRecord.restore(spec, events, node.nodeId());
    boolean wasRunning = task.state() == TaskState.ASSIGNED || task.state() == TaskState.RUNNING;
    String previousAgent = wasRunning ? task.agentId() : null;
    int previousEpoch = task.epoch() - 1;
    TaskEvent adoption = task.append(TaskEventType.REQUEUED, spec.toData()
        .put("reason", "node " + lostNode + " was lost").put("adopted_from", lostNode)
        .put("owner_node", node.nodeId()), Instant.now());
    return book.adopt(task, adoption).onSuccess(v -> {
      adopted.increment();
      if (previousAgent != null) {
        dispatcher.abandonLostAttempt(previousAgent, taskId, previousEpoch);
      }
      dispatcher.arm(task);
      if (!task.isTerminal()) {
        dispatcher.dispatch(task);
      }
    });
  }
}
