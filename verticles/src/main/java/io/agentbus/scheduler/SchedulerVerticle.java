package io.agentbus.scheduler;

import io.agentbus.api.Addresses;
import io.agentbus.api.AgentList;
import io.agentbus.api.AgentReport;
import io.agentbus.api.AgentViewChange;
import io.agentbus.api.Failures;
import io.agentbus.api.TaskRef;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.agentbus.events.TaskLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task lifecycle: accepts tasks (durably, before anyone is told), routes them to agents, times them out,
 * cancels them, takes agents' reports, answers queries and streams events to watchers. One instance per node; it
 * owns the tasks it accepted.
 */
public class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final long LOAD_FLUSH_MS = 200;
  private static final long EVICTION_MS = 1000;

  private final NodeContext node;
  private TaskLog log;
  private TaskTable table;
  private TaskBook book;
  private Dispatcher dispatcher;
  private Submissions submissions;
  private TaskQueries queries;
  private AgentReports reports;
  private TaskAdoption adoption;
  private OwnerLease lease;
  private SessionGate sessions;

  public SchedulerVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    return TaskLog.create(vertx, node.config(), node.kafkaBootstrap(), node.nodeId(), node.registry())
        .compose(this::startWith);
  }

  // survivors must find this node's tasks from the first one on: mark the topic's end before accepting any
  private Future<Void> startRecovery() {
    String topic = node.config().get(Setting.KAFKA_TOPIC_TASKS);
    return vertx.executeBlocking(() -> TopicEnds.of(node.kafkaBootstrap(), topic))
        .compose(ends -> {
          book.marks().start(ends);
          RecoveryCheckpoints checkpoints = new RecoveryCheckpoints(node.hazelcast(), context);
          adoption = new TaskAdoption(vertx, context, node, book, dispatcher, checkpoints, () -> lease.held());
          adoption.restartBy(task -> sessions.adopted(task, reports.hibernation()::wakeAdopted));
          lease = new OwnerLease(vertx, node, checkpoints, book.marks(), this::giveUpTasks, adoption::takeOverOwn);
          book.holdBy(lease::valid);
          adoption.start();
          return lease.start();
        });
  }

  // this node lost its hold on its tasks: survivors are about to take them over, so stop working on them first
  private void giveUpTasks() {
    List<TaskRecord> live = book.all().stream().filter(task -> !task.isSettled()).toList();
    live.forEach(book::abandon);
    live.forEach(task -> dispatcher.stopAttempt(task,
        "its scheduler lost its hold on its tasks; the task moves to another node"));
    LOG.warn("gave up {} live task(s): the node that takes this node's tasks over runs them", live.size());
  }

  private Future<?> startWith(TaskLog taskLog) {
    log = taskLog;
    table = new TaskTable(node.hazelcast(), vertx, context);
    book = new TaskBook(vertx, node, log, table);
    dispatcher = new Dispatcher(vertx, node, book, new AgentRouter(node.config().getInt(Setting.TASKS_QUEUE_LIMIT)));
    OwnerRequests owners = new OwnerRequests(vertx, table, node.nodeId());
    sessions = new SessionGate(vertx, book, dispatcher, new SessionLines(node.hazelcast(), context,
        node.config().getInt(Setting.SESSIONS_MAX_WAITING)),
        node.nodeId());
    book.onSettled(sessions::settled);
    submissions = new Submissions(vertx, node, book, dispatcher, new IdempotencyKeys(node.hazelcast(), context),
        owners, sessions);
    queries = new TaskQueries(vertx, node, book, dispatcher, owners);
    reports = new AgentReports(vertx, book, dispatcher, new SessionSnapshots(node.hazelcast(), context,
        node.config().getInt(Setting.SESSIONS_MAX_STATE_BYTES), node.config().getLong(Setting.SESSIONS_RETENTION_MS)));

    vertx.setPeriodic(LOAD_FLUSH_MS, t -> dispatcher.flushLoad());
    vertx.setPeriodic(EVICTION_MS, t -> book.evictExpired());

    EventBus bus = vertx.eventBus();
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    consumers.add(bus.<AgentViewChange>localConsumer(Addresses.MEMBERSHIP_VIEW,
        msg -> dispatcher.onViewChange(msg.body())));
    both(bus, consumers, Addresses.SCHEDULER_SUBMIT, submissions::submit);
    both(bus, consumers, Addresses.SCHEDULER_LIST, queries::list);
    both(bus, consumers, Addresses.SCHEDULER_GET, queries::get);
    both(bus, consumers, Addresses.SCHEDULER_CANCEL, queries::cancel);
    both(bus, consumers, Addresses.SCHEDULER_WATCH, queries::watch);
    both(bus, consumers, Addresses.SCHEDULER_UNWATCH, queries::unwatch);
    consumers.add(bus.<AgentReport>consumer(Addresses.schedulerReports(node.nodeId()), Failures.guard(reports::handle)));
    consumers.add(bus.<TaskRef>consumer(Addresses.schedulerSessionStart(node.nodeId()), Failures.guard(sessions::onStart)));

    Future<?> registered = startRecovery()
        .compose(v -> Future.all(consumers.stream().map(MessageConsumer::completion).toList()));
    return registered
        .compose(v -> bus.<AgentList>request(Addresses.MEMBERSHIP_AGENTS, null))
        .onSuccess(view -> dispatcher.onView(view.body()));
  }

  // task-specific operations answer on the generic address (forwarding to the owner) and on this node's own
  private <T> void both(EventBus bus, List<MessageConsumer<?>> consumers, String address,
                        io.vertx.core.Handler<Message<T>> handler) {
    consumers.add(bus.consumer(address, Failures.guard(handler)));
    consumers.add(bus.consumer(Addresses.schedulerOn(node.nodeId(), address), Failures.guard(handler)));
  }

  @Override
  public Future<?> stop() {
    if (adoption != null) {
      adoption.stop();
    }
    if (log == null) {
      return Future.succeededFuture();
    }
    dispatcher.flushLoad();
    return table.flush().recover(err -> Future.succeededFuture()).compose(v -> log.close());
  }

  /** For tests: tasks this scheduler owns. */
  int ownedTasks() {
    return book.owned();
  }
}
