package io.agentbus.api;

/**
 * Every event-bus address agentbus uses, in one place, dotted and hierarchical so that a bridge
 * allow-list can name them exactly. Addresses that carry an id are built by the static methods here and
 * nowhere else.
 */
public final class Addresses {

  /** Request {@link SubmitTask}; reply {@link TaskView} once the task.submitted event is durable in Kafka. */
  public static final String SCHEDULER_SUBMIT = "agentbus.scheduler.submit";
  /** Request {@link TaskRef}; reply {@link TaskView}, or {@link ErrorCode#TASK_NOT_FOUND}. */
  public static final String SCHEDULER_GET = "agentbus.scheduler.get";
  /** Request {@link CancelTask}; reply {@link TaskView} in its terminal state, or a failure code. */
  public static final String SCHEDULER_CANCEL = "agentbus.scheduler.cancel";
  /** Request {@link TaskQuery}; reply {@link TaskPage}. */
  public static final String SCHEDULER_LIST = "agentbus.scheduler.list";
  /**
   * Request {@link WatchTask}; reply {@link TaskEventBatch} with the events after the given sequence. Until the
   * task is terminal or the watch is dropped, later events of the task are sent, as {@link TaskEvent}, to the
   * watcher's address.
   */
  public static final String SCHEDULER_WATCH = "agentbus.scheduler.watch";
  /** Send {@link WatchTask}: the watcher's address no longer wants the task's events. */
  public static final String SCHEDULER_UNWATCH = "agentbus.scheduler.unwatch";

  /**
   * Request {@link AgentDescriptor} (node-local): add an agent to the registry, or replace its descriptor, with this
   * node as its home. Reply {@link AgentLease}: how often the agent must send {@link #MEMBERSHIP_HEARTBEAT}s. Fails
   * with {@link ErrorCode#INVALID_REQUEST} for a descriptor without id or types, or over the size limits.
   */
  public static final String MEMBERSHIP_REGISTER = "agentbus.membership.register";
  /** Request {@link AgentRef} (node-local): remove an agent from the registry at once. Reply: null. */
  public static final String MEMBERSHIP_DEREGISTER = "agentbus.membership.deregister";
  /**
   * Request {@link AgentRef} (node-local): the agent is alive. Reply: null, or {@link ErrorCode#NOT_FOUND} when its
   * home node no longer holds it (it was removed after missing heartbeats): the agent should register again.
   */
  public static final String MEMBERSHIP_HEARTBEAT = "agentbus.membership.heartbeat";
  /** Request (any body, node-local); reply {@link AgentList} with every known agent and its load, ordered by id. */
  public static final String MEMBERSHIP_AGENTS = "agentbus.membership.agents";
  /**
   * Published (node-local) {@link AgentViewChange}: changes of this node's replicated agent view. Descriptor and
   * suspect changes go out at once; load-only changes are coalesced (at most about every 100 ms).
   */
  public static final String MEMBERSHIP_VIEW = "agentbus.membership.view";
  /** Send {@link AgentLoad} (node-local): tasks dispatched to and completed by agents, as increments. */
  public static final String MEMBERSHIP_LOAD = "agentbus.membership.load";
  /** Request (any body, node-local); reply {@link MembershipSummary} of this node's replicated state. */
  public static final String MEMBERSHIP_SUMMARY = "agentbus.membership.summary";
  /**
   * Published (clustered) between the membership replicators of all nodes: CRDT deltas, a binary buffer with a version
   * byte (see {@code io.agentbus.membership.MembershipWire}). Not for other components.
   */
  public static final String MEMBERSHIP_DELTA = "agentbus.membership.delta";

  /**
   * Request {@link ToolCall}; reply {@link ToolOutcome} once the call's observation is recorded (the call runs as a
   * durable intent, at most once per task and call id), or {@link ErrorCode#INVALID_REQUEST} for a malformed request.
   */
  public static final String TOOLS_INVOKE = "agentbus.tools.invoke";
  /** Request (any body); reply {@link ToolList}. */
  public static final String TOOLS_LIST = "agentbus.tools.list";

  /** Published {@link TaskEvent}: every lifecycle (state-changing) event of every task on this node. */
  public static final String OBSERVER_LIFECYCLE = "agentbus.observer.lifecycle";

  /**
   * Where every node's observer publishes, about once a second, a JSON snapshot of what it sees for the live
   * dashboard (the node, its roles, membership, tasks in flight, throughput and latency, circuit breakers). The
   * bridge lets only operator-scope credentials register here.
   */
  public static final String DASHBOARD_SNAPSHOT = "agentbus.dashboard.snapshot";

  private Addresses() {
  }

  /**
   * Where the scheduler on {@code nodeId} is told that a queued task it owns is now first in its session and may
   * start: request {@link TaskRef}, empty reply.
   */
  public static String schedulerSessionStart(String nodeId) {
    return "agentbus.scheduler.node." + nodeId + ".session-start";
  }

  /** Where an agent receives {@link Assignment}s and {@link StopSignal}s. */
  public static String agentInbox(String agentId) {
    return "agentbus.agent." + agentId + ".inbox";
  }

  /** Where agents working for tasks owned by the scheduler on {@code nodeId} send {@link AgentReport}s. */
  public static String schedulerReports(String nodeId) {
    return "agentbus.scheduler.node." + nodeId + ".reports";
  }

  /**
   * The scheduler on {@code nodeId} only, for any of the generic scheduler addresses: used to reach the owner of a
   * task, to gather a listing from every node, and by a gateway to hand tasks to its own node's scheduler. The
   * generic addresses work from anywhere too (a scheduler that does not own a task forwards to its owner).
   */
  public static String schedulerOn(String nodeId, String genericAddress) {
    return "agentbus.scheduler.node." + nodeId + genericAddress.substring("agentbus.scheduler".length());
  }

  /** Where one gateway instance on {@code nodeId} receives the {@link TaskEvent}s of the tasks it watches. */
  public static String gatewayTaskEvents(String nodeId, String instanceId) {
    return "agentbus.gateway.node." + nodeId + "." + instanceId + ".task-events";
  }

  /**
   * The membership replicator of {@code nodeId} only, for one {@code operation} (anti-entropy and state transfer
   * between nodes, or the bench hooks): {@code agentbus.membership.node.<nodeId>.<operation>}.
   */
  public static String membershipOn(String nodeId, String operation) {
    return "agentbus.membership.node." + nodeId + "." + operation;
  }

  /**
   * Where the tool-executor sends a {@link ToolObservation} to the node whose caller waits for it (the fast path;
   * the same observation also reaches that node through the observation topic).
   */
  public static String toolObservations(String nodeId) {
    return "agentbus.tools.node." + nodeId + ".observations";
  }

  /** The per-task event stream a bridge client may subscribe to. */
  public static String taskEvents(String taskId) {
    return "agentbus.task." + taskId + ".events";
  }
}
