package io.agentbus.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbus.api.Addresses;
import io.agentbus.api.AgentDescriptor;
import io.agentbus.api.AgentLease;
import io.agentbus.api.AgentRef;
import io.agentbus.api.AgentReport;
import io.agentbus.api.AgentbusException;
import io.agentbus.api.Assignment;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.Failures;
import io.agentbus.api.Json;
import io.agentbus.api.StopSignal;
import io.agentbus.api.ToolOutcome;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.AgentSessionGrpcService;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.Problem;
import io.agentbus.grpc.v1.Register;
import io.agentbus.grpc.v1.Stop;
import io.agentbus.grpc.v1.TaskAssignment;
import io.agentbus.grpc.v1.ToolCallRequest;
import io.agentbus.grpc.v1.ToolResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connected over AgentSession.Connect: a member of the agent registry for as long as its stream lives and
 * it is heard from (any message renews its registry lease; grpc.agent-session-timeout-ms of silence ends the session
 * UNAVAILABLE). Assignments and stops that reach its inbox go down the stream; what it reports goes to the
 * assignment's report address as {@link AgentReport}s, exactly as a built-in agent's would. A stop must be
 * acknowledged within tasks.stop-ack-timeout-ms; once a stop is sent, and for every attempt that is over, reports of
 * that attempt are refused here and counted as fenced. When the session ends (or another session takes its agent id
 * over) the attempts it was running go back to their schedulers to be dispatched again. Reports on their way to the
 * scheduler are bounded: past grpc.agent-max-in-flight (or while the client does not take what is sent to it) the
 * stream is paused. Confined to the call's event loop.
 */
final class AgentSession {

  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
  private static final java.util.regex.Pattern AGENT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final int RESULT_ATTEMPTS = 5;
  private static final long REPORT_TIMEOUT_MS = 10_000;

  private final SessionContext ctx;
  private final GrpcServerRequest<AgentMessage, FabricMessage> call;
  private final SessionAttempts attempts = new SessionAttempts();
  private final io.vertx.core.Context context;
  private AgentDescriptor agent;
  private String claimedId;
  private MessageConsumer<Object> inbox;
  private boolean registering;
  private boolean ended;
  private boolean paused;
  private int inFlight;
  private long lastHeard = System.nanoTime();
  private boolean heardSinceBeat;
  private long livenessTimer = -1;
  private long pingTimer = -1;
  private long beatTimer = -1;

  /** Who the session's credential names: the tenant its agents serve. */
  private final io.agentbus.gateway.auth.Principal principal;

  AgentSession(SessionContext ctx, GrpcServerRequest<AgentMessage, FabricMessage> call,
               io.agentbus.gateway.auth.Principal principal) {
    this.ctx = ctx;
    this.call = call;
    this.principal = principal;
    this.context = ctx.vertx().getOrCreateContext();
  }

  void start() {
    ctx.metrics().sessions.incrementAndGet();
    call.invalidMessageHandler(invalid -> {
      ctx.metrics().oversized();
      end(GrpcStatus.RESOURCE_EXHAUSTED, ErrorCode.BODY_TOO_LARGE.slug(), invalid instanceof MessageSizeOverflowException
          ? "a message was larger than grpc.max-message-bytes (" + ctx.maxMessageBytes() + ")"
          : "invalid message: " + invalid.getMessage());
    });
    call.messageHandler(this::onFrame);
    call.endHandler(v -> end(GrpcStatus.OK, null, null));
    call.errorHandler(error -> end(null, null, "the client reset the stream (" + error + ")"));
    call.exceptionHandler(err -> end(null, null, "the connection failed: " + err));
    call.response().drainHandler(v -> flow());
    long timeout = ctx.sessionTimeoutMs();
    livenessTimer = ctx.vertx().setPeriodic(Math.max(50, Math.min(1000, timeout / 4)), t -> checkLiveness());
    pingTimer = ctx.vertx().setPeriodic(ctx.keepaliveMs(), t -> ping());
  }

  private void onFrame(GrpcMessage frame) {
    if (ended) {
      return;
    }
    lastHeard = System.nanoTime();
    heardSinceBeat = true;
    AgentMessage msg;
    try {
      msg = Call.decode(AgentSessionGrpcService.Connect, frame, ctx.maxMessageBytes());
    } catch (Exception e) {
      ctx.metrics().invalid();
      String problem = "the message does not decode as an AgentMessage: " + e.getMessage();
      if (agent == null && !registering) {
        end(GrpcStatus.INVALID_ARGUMENT, ErrorCode.INVALID_REQUEST.slug(), "the first message of a session must be"
            + " register; " + problem);
      } else {
        refuse(Ack.Of.OF_REPORT, "", 0, ErrorCode.INVALID_REQUEST, problem);
      }
      return;
    }
    if (agent == null) {
      if (msg.getBodyCase() == AgentMessage.BodyCase.REGISTER && !registering) {
        register(msg.getRegister());
      } else if (!registering) {
        end(GrpcStatus.INVALID_ARGUMENT, ErrorCode.INVALID_REQUEST.slug(),
            "the first message of a session must be register, not " + msg.getBodyCase());
      } else {
        refuse(Ack.Of.OF_REPORT, "", 0, ErrorCode.INVALID_REQUEST, "wait for the register ack before reporting");
      }
      return;
    }
    switch (msg.getBodyCase()) {
      case REGISTER -> refuse(Ack.Of.OF_REGISTER, "", 0, ErrorCode.INVALID_REQUEST, "this session is registered as "
          + agent.id() + "; open another session for another agent");
      case HEARTBEAT -> heartbeat();
      case THOUGHT -> report(msg.getThought().getTaskId(), msg.getThought().getEpoch(), AgentReport.Kind.THOUGHT,
          Json.object().put("step", msg.getThought().getStep()).put("delta", msg.getThought().getDelta()));
      case CONTENT -> report(msg.getContent().getTaskId(), msg.getContent().getEpoch(), AgentReport.Kind.CONTENT,
          Json.object().put("text", msg.getContent().getText()).put("final", msg.getContent().getFinal()));
      case PROGRESS -> progress(msg);
      case TOOL_CALL -> toolCall(msg.getToolCall());
      case RESULT -> result(msg);
      case ERROR -> error(msg);
      case STOP_ACK -> stopAcknowledged(msg.getStopAck().getTaskId(), msg.getStopAck().getEpoch());
      case HIBERNATE -> hibernate(msg.getHibernate());
      case BODY_NOT_SET -> refuse(Ack.Of.OF_REPORT, "", 0, ErrorCode.INVALID_REQUEST, "an empty AgentMessage");
    }
  }

  // ---- registration and liveness

  private void register(Register r) {
    List<io.agentbus.gateway.Problems.FieldError> problems = RegisterRules.check(r, AGENT_ID);
    if (!problems.isEmpty()) {
      ctx.metrics().invalid();
      endInvalid("the register message has " + problems.size() + " invalid field(s)", problems);
      return;
    }
    registering = true;
    AgentDescriptor descriptor = new AgentDescriptor(r.getAgentId(), new java.util.LinkedHashSet<>(r.getTypesList()),
        r.getCapacity(), r.getLabelsMap(), ctx.nodeId(), Addresses.agentInbox(r.getAgentId()));
    claimedId = descriptor.id();
    List<Assignment> inherited = new ArrayList<>();
    ctx.sessions().claim(descriptor.id(), this, context)
        .compose(orphans -> {
          inherited.addAll(orphans);
          if (ended) {
            return Future.failedFuture(new AgentbusException(ErrorCode.UNAVAILABLE, "the session ended"));
          }
          inbox = ctx.vertx().eventBus().consumer(descriptor.inbox(), Failures.guard(this::onInbox));
          return inbox.completion();
        })
        .compose(v -> ctx.vertx().eventBus().<AgentLease>request(Addresses.MEMBERSHIP_REGISTER, descriptor))
        .onSuccess(reply -> {
          if (ended) {
            // the session ended while the registry took the agent: take it out again unless a newer session has it
            if (!ctx.sessions().isHeld(descriptor.id())) {
              ctx.vertx().eventBus().request(Addresses.MEMBERSHIP_DEREGISTER, new AgentRef(descriptor.id()));
            }
            release(inherited, "agent " + descriptor.id() + " registered again, but its new session ended");
            return;
          }
          agent = descriptor;
          registering = false;
          send(FabricMessage.newBuilder().setAck(Ack.newBuilder().setOf(Ack.Of.OF_REGISTER).setOk(true)
              .setLease(ctx.lease(descriptor, reply.body()))).build());
          beatTimer = ctx.vertx().setPeriodic(Math.max(10, reply.body().heartbeatIntervalMs()), t -> beat());
          LOG.info("agent {} connected over gRPC (types {}, capacity {}, tenant {}, subject {})", descriptor.id(),
              descriptor.types(), descriptor.capacity(), principal.tenant(), principal.subject());
          // the tasks the replaced session was running go back to their schedulers, now that this one can take them
          release(inherited, "agent " + descriptor.id() + " registered again on a new session");
        })
        .onFailure(err -> {
          release(inherited, "agent " + descriptor.id() + " registered again, but its new session failed");
          AgentbusException e = Failures.toException(err);
          end(GrpcStatuses.of(e.code()), e.code().slug(), "registration failed: " + e.getMessage());
        });
  }

  private void heartbeat() {
    send(FabricMessage.newBuilder().setAck(Ack.newBuilder().setOf(Ack.Of.OF_HEARTBEAT).setOk(true)).build());
  }

  // the session holds the agent's registry lease: any message heard since the last beat (a heartbeat, or output of
  // a long generation) renews it, so a busy agent never turns suspect and a silent one does
  private void beat() {
    if (ended || agent == null || !heardSinceBeat) {
      return;
    }
    heardSinceBeat = false;
    ctx.vertx().eventBus().request(Addresses.MEMBERSHIP_HEARTBEAT, new AgentRef(agent.id()))
        .onFailure(err -> {
          ErrorCode code = Failures.toException(err).code();
          if (code == ErrorCode.NOT_FOUND && !ended) {
            // the registry let the agent lapse (its lease expired): put it back
            ctx.vertx().eventBus().request(Addresses.MEMBERSHIP_REGISTER, agent);
          }
        });
  }

  private void checkLiveness() {
    if (ended) {
      return;
    }
    boolean agentNotReading = call.response().writeQueueFull();
    if (paused && !agentNotReading) {
      // this side holds the agent back (its reports are still on their way): it is not silent, just not read
      lastHeard = System.nanoTime();
      return;
    }
    long silentMs = (System.nanoTime() - lastHeard) / 1_000_000;
    if (silentMs > ctx.sessionTimeoutMs()) {
      ctx.metrics().sessionExpired();
      end(GrpcStatus.UNAVAILABLE, ErrorCode.UNAVAILABLE.slug(), (agentNotReading
          ? "the agent has not read what was sent to it for " + silentMs + " ms"
          : "no heartbeat or other message for " + silentMs + " ms") + " (grpc.agent-session-timeout-ms "
          + ctx.sessionTimeoutMs() + "); connect and register again");
    }
  }

  // HTTP/2 PING keeps a long silent generation's connection known to be alive; no answer closes it
  private void ping() {
    io.vertx.core.http.HttpConnection connection = call.connection();
    if (ended || connection == null) {
      return;
    }
    long timer = ctx.vertx().setTimer(ctx.keepaliveTimeoutMs(), t -> {
      LOG.info("agent session {}: no PING answer in {} ms, closing its connection",
          agent == null ? "(unregistered)" : agent.id(), ctx.keepaliveTimeoutMs());
      connection.close();
    });
    connection.ping(io.vertx.core.buffer.Buffer.buffer(new byte[8])).onComplete(ar -> ctx.vertx().cancelTimer(timer));
  }

  // ---- downstream: the inbox

  private void onInbox(Message<Object> msg) {
    if (msg.body() instanceof Assignment assignment) {
      assign(msg, assignment);
    } else if (msg.body() instanceof StopSignal stop) {
      stop(msg, stop);
    } else {
      Failures.fail(msg, new AgentbusException(ErrorCode.INVALID_REQUEST, "an agent inbox takes assignments and stops"));
    }
  }

  private void assign(Message<Object> msg, Assignment assignment) {
    if (ended || agent == null) {
      Failures.fail(msg, new AgentbusException(ErrorCode.UNAVAILABLE, "the agent's session is ending"));
    } else if (attempts.size() >= agent.capacity()) {
      Failures.fail(msg, new AgentbusException(ErrorCode.AGENT_AT_CAPACITY, agent.id() + " runs "
          + attempts.size() + " tasks already"));
    } else if (!attempts.start(assignment)) {
      Failures.fail(msg, new AgentbusException(ErrorCode.ATTEMPT_FENCED, "attempt " + assignment.epoch() + " of "
          + assignment.taskId() + " was stopped before it reached the agent"));
    } else {
      TaskAssignment.Builder a = TaskAssignment.newBuilder()
          .setTaskId(assignment.taskId()).setEpoch(assignment.epoch())
          .setAgentType(ProtoTasks.nullToEmpty(assignment.agentType()))
          .setInputJson(ProtoTasks.text(assignment.input()))
          .setDeadlineEpochMs(assignment.deadlineEpochMs())
          .setTraceparent(ProtoTasks.nullToEmpty(assignment.traceparent()));
      if (assignment.metadata() != null) {
        a.putAllMetadata(assignment.metadata());
      }
      if (assignment.resume() != null) {
        a.setResumeJson(ProtoTasks.text(assignment.resume()));
      }
      send(FabricMessage.newBuilder().setAssignment(a).build());
      msg.reply(null);
    }
  }

  private void stop(Message<Object> msg, StopSignal stop) {
    SessionAttempts.Attempt a = attempts.running(stop.taskId(), stop.epoch());
    if (a == null) {
      attempts.stoppedBeforeAssignment(stop.taskId(), stop.epoch());
      msg.reply(null);
      return;
    }
    if (a.pendingStop != null) {
      msg.reply(null);
      return;
    }
    a.pendingStop = msg;
    long ackWithin = ctx.stopAckTimeoutMs();
    send(FabricMessage.newBuilder().setStop(Stop.newBuilder().setTaskId(stop.taskId()).setEpoch(stop.epoch())
        .setReason(ProtoTasks.nullToEmpty(stop.reason())).setAckWithinMs(ackWithin)).build());
    a.stopTimer = ctx.vertx().setTimer(ackWithin, t -> {
      a.stopTimer = -1;
      if (attempts.end(stop.taskId(), stop.epoch()) != null) {
        ctx.metrics().stopUnacknowledged();
        LOG.info("agent {} did not acknowledge the stop of {} (epoch {}) within {} ms: attempt fenced", agent.id(),
            stop.taskId(), stop.epoch(), ackWithin);
        Failures.fail(msg, new AgentbusException(ErrorCode.UPSTREAM_TIMEOUT, "no stop_ack within " + ackWithin
            + " ms; the attempt is fenced"));
      }
    });
  }

  private void stopAcknowledged(String taskId, int epoch) {
    SessionAttempts.Attempt a = attempts.running(taskId, epoch);
    if (a == null || a.pendingStop == null) {
      return;
    }
    ctx.vertx().cancelTimer(a.stopTimer);
    attempts.end(taskId, epoch);
    a.pendingStop.reply(null);
  }

  // ---- upstream: reports

  private void progress(AgentMessage msg) {
    var p = msg.getProgress();
    if (p.getPercent() < 0 || p.getPercent() > 100) {
      refuse(Ack.Of.OF_REPORT, p.getTaskId(), p.getEpoch(), ErrorCode.INVALID_REQUEST, "percent must be 0 to 100");
      return;
    }
    report(p.getTaskId(), p.getEpoch(), AgentReport.Kind.PROGRESS, Json.object().put("stage", p.getStage())
        .put("percent", p.getPercent()).put("message", p.getMessage()));
  }

  private void report(String taskId, int epoch, AgentReport.Kind kind, JsonNode data) {
    SessionAttempts.Attempt a = current(Ack.Of.OF_REPORT, taskId, epoch);
    if (a != null) {
      forward(a, kind, data).onFailure(err -> refused(Ack.Of.OF_REPORT, a, err));
    }
  }

  private void toolCall(ToolCallRequest t) {
    if (t.getCallId().isEmpty() || t.getTool().isEmpty()) {
      refuse(Ack.Of.OF_REPORT, t.getTaskId(), t.getEpoch(), ErrorCode.INVALID_REQUEST, "a tool_call needs call_id and"
          + " tool");
      return;
    }
    SessionAttempts.Attempt a = attempts.current(t.getTaskId(), t.getEpoch());
    if (a == null) {
      ctx.metrics().fenced();
      toolResult(t, ToolOutcome.failure(t.getCallId(), t.getTool(), io.agentbus.api.TaskError.of(
          ErrorCode.ATTEMPT_FENCED, "attempt " + t.getEpoch() + " of " + t.getTaskId() + " is no longer current"), 0));
      return;
    }
    JsonNode arguments;
    try {
      arguments = t.getArgumentsJson().isEmpty() ? Json.object() : ctx.protos().parse(t.getArgumentsJson());
    } catch (AgentbusException e) {
      toolResult(t, ToolOutcome.failure(t.getCallId(), t.getTool(), io.agentbus.api.TaskError.of(e.code(),
          "arguments_json: " + e.getMessage()), 0));
      return;
    }
    ObjectNode data = Json.object().put("call_id", t.getCallId()).put("tool", t.getTool());
    data.set("arguments", arguments);
    long timeout = Math.max(1, a.assignment.deadlineEpochMs() - System.currentTimeMillis()) + 2000;
    forward(a, AgentReport.Kind.TOOL_CALL, data, timeout)
        .onSuccess(reply -> toolResult(t, (ToolOutcome) reply))
        .onFailure(err -> {
          AgentbusException e = Failures.toException(err);
          if (e.code() == ErrorCode.ATTEMPT_FENCED) {
            attempts.end(a.taskId(), a.epoch());
          }
          toolResult(t, ToolOutcome.failure(t.getCallId(), t.getTool(), io.agentbus.api.TaskError.of(e.code(),
              e.getMessage()), 0));
        });
  }

  private void hibernate(io.agentbus.grpc.v1.Hibernate h) {
    if (h.getCallId().isEmpty() || h.getTool().isEmpty() || h.getStateJson().isEmpty()) {
      refuse(Ack.Of.OF_HIBERNATE, h.getTaskId(), h.getEpoch(), ErrorCode.INVALID_REQUEST,
          "a hibernate needs call_id, tool and state_json");
      return;
    }
    SessionAttempts.Attempt a = current(Ack.Of.OF_HIBERNATE, h.getTaskId(), h.getEpoch());
    if (a == null) {
      return;
    }
    ObjectNode data = Json.object().put("call_id", h.getCallId()).put("tool", h.getTool())
        .put("expected_version", h.getExpectedVersion());
    try {
      data.set("arguments", h.getArgumentsJson().isEmpty() ? Json.object() : ctx.protos().parse(h.getArgumentsJson()));
      data.set("state", ctx.protos().parse(h.getStateJson()));
    } catch (AgentbusException e) {
      refuse(Ack.Of.OF_HIBERNATE, h.getTaskId(), h.getEpoch(), e.code(), e.getMessage());
      return;
    }
    forward(a, AgentReport.Kind.HIBERNATE, data)
        .onSuccess(reply -> {
          attempts.end(a.taskId(), a.epoch());
          send(FabricMessage.newBuilder().setAck(Ack.newBuilder().setOf(Ack.Of.OF_HIBERNATE).setOk(true)
              .setTaskId(a.taskId()).setEpoch(a.epoch())
              .setSessionVersion(((io.agentbus.api.SessionSnapshot) reply).version())).build());
        })
        .onFailure(err -> refused(Ack.Of.OF_HIBERNATE, a, err));
  }

  private void toolResult(ToolCallRequest t, ToolOutcome outcome) {
    ToolResult.Builder r = ToolResult.newBuilder().setTaskId(t.getTaskId()).setEpoch(t.getEpoch())
        .setCallId(t.getCallId()).setTool(t.getTool()).setOk(outcome.ok())
        .setResultJson(ProtoTasks.text(outcome.result())).setDurationMs(outcome.durationMs());
    if (outcome.error() != null) {
      r.setError(ProtoTasks.error(outcome.error()));
    }
    send(FabricMessage.newBuilder().setToolResult(r).build());
  }

  private void result(AgentMessage msg) {
    var r = msg.getResult();
    JsonNode value;
    try {
      value = ctx.protos().parse(r.getResultJson());
    } catch (AgentbusException e) {
      refuse(Ack.Of.OF_RESULT, r.getTaskId(), r.getEpoch(), e.code(), "result_json: " + e.getMessage());
      return;
    }
    finish(Ack.Of.OF_RESULT, r.getTaskId(), r.getEpoch(), AgentReport.Kind.RESULT,
        value == null ? com.fasterxml.jackson.databind.node.NullNode.instance : value);
  }

  private void error(AgentMessage msg) {
    var f = msg.getError();
    finish(Ack.Of.OF_ERROR, f.getTaskId(), f.getEpoch(), AgentReport.Kind.ERROR,
        Json.object().put("code", f.getCode().isEmpty() ? "agent-error" : f.getCode()).put("message", f.getMessage()));
  }

  // a result or an error ends the attempt here at once; its delivery is retried until the scheduler answers
  private void finish(Ack.Of of, String taskId, int epoch, AgentReport.Kind kind, JsonNode data) {
    SessionAttempts.Attempt a = current(of, taskId, epoch);
    if (a == null) {
      return;
    }
    attempts.end(taskId, epoch);
    deliver(a, kind, data, 1).onSuccess(v -> send(FabricMessage.newBuilder().setAck(Ack.newBuilder().setOf(of)
        .setOk(true).setTaskId(taskId).setEpoch(epoch)).build())).onFailure(err -> refused(of, a, err));
  }

  private Future<Object> deliver(SessionAttempts.Attempt a, AgentReport.Kind kind, JsonNode data, int attempt) {
    return forward(a, kind, data).recover(err -> {
      ErrorCode code = Failures.toException(err).code();
      boolean retriable = code == ErrorCode.UPSTREAM_TIMEOUT || code == ErrorCode.UNAVAILABLE;
      if (!retriable || attempt >= RESULT_ATTEMPTS || ended) {
        return Future.failedFuture(err);
      }
      io.vertx.core.Promise<Object> later = io.vertx.core.Promise.promise();
      ctx.vertx().setTimer(100L * attempt, t -> deliver(a, kind, data, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  /** The attempt a report is about, or null after refusing it (not current: counted as fenced). */
  private SessionAttempts.Attempt current(Ack.Of of, String taskId, int epoch) {
    SessionAttempts.Attempt a = attempts.current(taskId, epoch);
    if (a == null) {
      ctx.metrics().fenced();
      refuse(of, taskId, epoch, ErrorCode.ATTEMPT_FENCED, "attempt " + epoch + " of " + taskId
          + " is no longer current (stopped, ended or never assigned to this session)");
    }
    return a;
  }

  private Future<Object> forward(SessionAttempts.Attempt a, AgentReport.Kind kind, JsonNode data) {
    return forward(a, kind, data, REPORT_TIMEOUT_MS);
  }

  // every report is a request, so the reports on their way are counted and bounded
  private Future<Object> forward(SessionAttempts.Attempt a, AgentReport.Kind kind, JsonNode data, long timeoutMs) {
    inFlight++;
    ctx.metrics().reportsInFlight.incrementAndGet();
    flow();
    AgentReport report = new AgentReport(a.taskId(), a.epoch(), agent.id(), kind, data);
    return ctx.vertx().eventBus().request(a.assignment.reportAddress(), report,
            new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body)
        .andThen(ar -> {
          inFlight--;
          ctx.metrics().reportsInFlight.decrementAndGet();
          flow();
        });
  }

  private void refused(Ack.Of of, SessionAttempts.Attempt a, Throwable err) {
    AgentbusException e = Failures.toException(err);
    if (e.code() == ErrorCode.ATTEMPT_FENCED || e.code() == ErrorCode.TASK_NOT_FOUND) {
      attempts.end(a.taskId(), a.epoch());
    }
    refuse(of, a.taskId(), a.epoch(), e.code(), e.getMessage());
  }

  private void refuse(Ack.Of of, String taskId, int epoch, ErrorCode code, String message) {
    Problem problem = GrpcStatuses.problem(code, message);
    send(FabricMessage.newBuilder().setAck(Ack.newBuilder().setOf(of).setOk(false).setTaskId(taskId).setEpoch(epoch)
        .setProblem(problem)).build());
  }

  // ---- flow control and the end

  private void send(FabricMessage message) {
    if (!ended) {
      call.response().write(message);
      flow();
    }
  }

  // pause the agent while too many reports are on their way or it does not take what is sent to it
  private void flow() {
    if (ended) {
      return;
    }
    boolean congested = inFlight >= ctx.maxInFlight() || call.response().writeQueueFull();
    if (congested && !paused) {
      paused = true;
      ctx.metrics().sessionPaused();
      call.pause();
    } else if (!congested && paused && inFlight <= ctx.maxInFlight() / 2) {
      paused = false;
      call.resume();
    }
  }

  /**
   * Ends the session because another session took its agent id over; completes, once its inbox is gone, with the
   * assignments it was still running, which the new session gives back to their schedulers.
   */
  Future<List<Assignment>> takenOver() {
    return endWith(GrpcStatus.ABORTED, "session-replaced", "another session registered agent "
        + (agent == null ? "" : agent.id()) + " on this gateway");
  }

  private void endInvalid(String message, List<io.agentbus.gateway.Problems.FieldError> fields) {
    GrpcStatuses.fail(call.response(), ErrorCode.INVALID_REQUEST, message, fields);
    end(null, null, message);
  }

  /**
   * Ends the session once: the agent leaves the registry (unless another session took its id over), its inbox goes,
   * stops still waiting for an acknowledgement are answered, and the attempts it was running go back to their
   * schedulers to be dispatched again. {@code status} null: the call already ended.
   */
  Future<Void> end(GrpcStatus status, String reason, String message) {
    return endWith(status, reason, message).mapEmpty();
  }

  // completes with the running attempts when another session holds the agent id now (it gives them back), else empty
  private Future<List<Assignment>> endWith(GrpcStatus status, String reason, String message) {
    if (ended) {
      return Future.succeededFuture(List.of());
    }
    ended = true;
    ctx.metrics().sessions.decrementAndGet();
    ctx.vertx().cancelTimer(livenessTimer);
    ctx.vertx().cancelTimer(pingTimer);
    ctx.vertx().cancelTimer(beatTimer);
    List<Assignment> running = new ArrayList<>();
    for (SessionAttempts.Attempt a : attempts.all()) {
      if (a.pendingStop != null) {
        ctx.vertx().cancelTimer(a.stopTimer);
        a.pendingStop.reply(null);
      } else {
        running.add(a.assignment);
      }
    }
    if (status == GrpcStatus.OK) {
      endCall(() -> call.response().end());
    } else if (status != null) {
      endCall(() -> GrpcStatuses.fail(call.response(), status, reason, message, List.of()));
    }
    Future<Void> inboxGone = inbox == null ? Future.succeededFuture() : inbox.unregister();
    String why = message == null ? "its stream ended" : message;
    if (agent != null) {
      LOG.info("agent {} left ({})", agent.id(), why);
    }
    return inboxGone.recover(err -> Future.succeededFuture()).compose(v -> deregisterIfOwner(claimedId))
        .map(owner -> {
          if (!owner) {
            return running;
          }
          // out of the registry first, so the scheduler does not offer the tasks straight back to this agent
          release(running, "its session ended: " + why);
          return List.<Assignment>of();
        });
  }

  // the agent leaves the registry unless another session took its id over (that one registered it again)
  private Future<Boolean> deregisterIfOwner(String id) {
    if (id == null || !ctx.sessions().release(id, this)) {
      return Future.succeededFuture(false);
    }
    return ctx.vertx().eventBus().request(Addresses.MEMBERSHIP_DEREGISTER, new AgentRef(id))
        .map(true).recover(err -> Future.succeededFuture(true));
  }

  // attempts this agent can no longer report on go back to their schedulers, which dispatch them again
  private void release(List<Assignment> assignments, String reason) {
    for (Assignment a : assignments) {
      AgentReport report = new AgentReport(a.taskId(), a.epoch(), claimedId, AgentReport.Kind.RELEASED,
          Json.object().put("reason", reason));
      ctx.vertx().eventBus().request(a.reportAddress(), report, new DeliveryOptions().setSendTimeout(REPORT_TIMEOUT_MS))
          .onFailure(err -> LOG.debug("release of {} (epoch {}) not taken: {}", a.taskId(), a.epoch(), err.toString()));
    }
  }

  private static void endCall(Runnable ending) {
    try {
      ending.run();
    } catch (IllegalStateException alreadyEnded) {
      // the client ended the call first
    }
  }

  String agentId() {
    return agent == null ? null : agent.id();
  }

  io.vertx.core.Context context() {
    return context;
  }
}
