"""Agent: serves tasks over one AgentSession.Connect stream, reconnecting when the connection is lost."""

from __future__ import annotations

import collections
import json
import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterable, Mapping, Optional, Tuple

import grpc

from ._auth import default_token, with_token

from ._proto import session_grpc, session_pb
from ._status import call_error
from .client import default_target
from .context import TaskContext
from .errors import AgentFailure, CallError, TaskStopped

Handler = Callable[[TaskContext], object]
Ack = session_pb.Ack

# a session that ends with one of these is retried after a backoff; any other status is final
RETRIABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.UNKNOWN,
                       grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED,
                       grpc.StatusCode.RESOURCE_EXHAUSTED})


class _Outbox:
    """What goes up the stream. Control messages (heartbeats, stop_acks) are never held up; reports wait while
    ``limit`` of them are queued (the node paused the stream), so a fast agent is slowed to what the node takes."""

    def __init__(self, limit: int):
        self._changed = threading.Condition()
        self._control = collections.deque()
        self._reports = collections.deque()
        self._limit = limit
        self._closed = False

    def control(self, message) -> None:
        with self._changed:
            if not self._closed:
                self._control.append(message)
                self._changed.notify_all()

    def report(self, key: Tuple[str, int], message, stopped: threading.Event) -> bool:
        """Queues a report of attempt ``key``; False if the outbox closed or the attempt stopped first."""
        with self._changed:
            while not self._closed and len(self._reports) >= self._limit and not stopped.is_set():
                self._changed.wait()
            if self._closed or stopped.is_set():
                return False
            self._reports.append((key, message))
            self._changed.notify_all()
            return True

    def discard(self, key: Tuple[str, int]) -> None:
        """Drops the queued reports of a stopped attempt (the node would refuse them)."""
        with self._changed:
            kept = [r for r in self._reports if r[0] != key]
            self._reports.clear()
            self._reports.extend(kept)
            self._changed.notify_all()

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def messages(self, first) -> Iterable:
        yield first
        while True:
            with self._changed:
                while not self._control and not self._reports and not self._closed:
                    self._changed.wait()
                if self._closed:
                    return
                if self._control:
                    message = self._control.popleft()
                else:
                    message = self._reports.popleft()[1]
                    self._changed.notify_all()
            yield message


class _Session:
    """One Connect stream: registration, heartbeats, assignments, stops, tool results."""

    def __init__(self, agent: "Agent", channel: grpc.Channel):
        self.agent = agent
        self.log = agent.log
        self.outbox = _Outbox(agent.max_queued_reports)
        self.stub = session_grpc.AgentSessionStub(channel)
        self.call = None
        self.lease = None
        self.max_message_bytes = 4 * 1024 * 1024
        self.running: Dict[str, TaskContext] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()

    def serve(self) -> None:
        """Runs the session until its stream ends; raises grpc.RpcError (how it ended) or CallError (refused)."""
        a = self.agent
        register = session_pb.AgentMessage(register=session_pb.Register(
            agent_id=a.agent_id, types=a.types, capacity=a.capacity, labels=a.labels))
        self.call = self.stub.Connect(self.outbox.messages(register))
        try:
            first = next(self.call)
            if first.WhichOneof("body") != "ack" or first.ack.of != Ack.OF_REGISTER or not first.ack.ok:
                p = first.ack.problem
                raise CallError(grpc.StatusCode.INVALID_ARGUMENT, p.code, "registration refused: " + p.message)
            self.lease = first.ack.lease
            if self.lease.max_message_bytes > 0:
                self.max_message_bytes = self.lease.max_message_bytes
            interval = max(0.05, self.lease.heartbeat_interval_ms / 1000)
            threading.Thread(target=self._heartbeats, args=(interval,), name=f"agentbus-heartbeat-{a.agent_id}",
                             daemon=True).start()
            a._registered(self)
            for message in self.call:
                self._on_message(message)
        finally:
            self.end("the session to the node ended")

    def end(self, reason: str) -> None:
        if self.done.is_set():
            return
        self.done.set()
        self.outbox.close()
        if self.call is not None:
            self.call.cancel()
        with self.lock:
            running = list(self.running.values())
        for ctx in running:
            ctx._stop(reason)

    def _heartbeats(self, interval: float) -> None:
        while not self.done.wait(interval):
            with self.lock:
                ids = list(self.running)
            self.outbox.control(session_pb.AgentMessage(heartbeat=session_pb.Heartbeat(running_task_ids=ids)))

    def send_report(self, ctx: TaskContext, message) -> bool:
        size = message.ByteSize()
        if size > self.max_message_bytes:
            raise ValueError(f"a {message.WhichOneof('body')} of {size} bytes is larger than the node takes "
                             f"({self.max_message_bytes} bytes); send it in smaller pieces")
        return self.outbox.report((ctx.task_id, ctx.epoch), message, ctx._stopped)

    # ---- downstream

    def _on_message(self, message) -> None:
        kind = message.WhichOneof("body")
        if kind == "assignment":
            self._assigned(message.assignment)
        elif kind == "stop":
            self._stop(message.stop)
        elif kind == "tool_result":
            with self.lock:
                ctx = self.running.get(message.tool_result.task_id)
            if ctx is not None and ctx.epoch == message.tool_result.epoch:
                ctx._tool_result(message.tool_result)
        elif kind == "ack":
            self._ack(message.ack)

    def _assigned(self, assignment) -> None:
        ctx = TaskContext(self, assignment)
        with self.lock:
            self.running[ctx.task_id] = ctx
        self.log.debug("task %s (epoch %d) assigned", ctx.task_id, ctx.epoch)
        try:
            self.agent._executor.submit(self._run, ctx)
        except RuntimeError:  # the agent is stopping: the fabric assigns the task again once the session ends
            ctx._stop("the agent is stopping")

    def _stop(self, stop) -> None:
        with self.lock:
            ctx = self.running.get(stop.task_id)
        if ctx is not None and ctx.epoch == stop.epoch:
            ctx._stop(stop.reason or "stopped")
            self.outbox.discard((ctx.task_id, ctx.epoch))
        # acknowledged at once: from now on the SDK sends nothing more of this attempt
        self.outbox.control(session_pb.AgentMessage(stop_ack=session_pb.StopAck(task_id=stop.task_id,
                                                                                epoch=stop.epoch)))
        self.log.info("task %s (epoch %d) stopped: %s", stop.task_id, stop.epoch, stop.reason)

    def _ack(self, ack) -> None:
        if ack.of == Ack.Of.OF_HIBERNATE:
            with self.lock:
                ctx = self.running.get(ack.task_id)
            if ctx is not None and ctx.epoch == ack.epoch:
                ctx._hibernated(ack)
                return
        if ack.ok:
            return
        what = Ack.Of.Name(ack.of)[3:].lower()
        if ack.problem.code == "attempt-fenced":
            with self.lock:
                ctx = self.running.get(ack.task_id)
            if ctx is None or ctx.epoch != ack.epoch or not ctx._stop("attempt fenced: " + ack.problem.message):
                # a report that was on its way when the stop came: expected, nothing to do
                self.log.debug("the node refused a %s of stopped task %s", what, ack.task_id)
                return
            self.outbox.discard((ctx.task_id, ctx.epoch))
        self.log.warning("the node refused a %s of task %s: %s %s", what, ack.task_id or "-", ack.problem.code,
                         ack.problem.message)

    # ---- running a task

    def _run(self, ctx: TaskContext) -> None:
        key = (ctx.task_id, ctx.epoch)
        try:
            if ctx.stopped:
                return
            try:
                value = self.agent.handler(ctx)
                body = session_pb.AgentMessage(result=session_pb.TaskResult(
                    task_id=ctx.task_id, epoch=ctx.epoch, result_json=json.dumps(value)))
            except TaskStopped:
                return
            except AgentFailure as e:
                body = self._failure(ctx, e.code or "agent-error", e.message)
            except Exception as e:
                if ctx.stopped:
                    return
                self.log.exception("task %s failed in the handler", ctx.task_id)
                body = self._failure(ctx, "agent-error", f"{type(e).__name__}: {e}")
            if not ctx.stopped:
                try:
                    self.send_report(ctx, body)
                except ValueError as e:
                    self.send_report(ctx, self._failure(ctx, "result-too-large", str(e)))
        finally:
            with self.lock:
                if self.running.get(ctx.task_id) is ctx:
                    del self.running[ctx.task_id]
            self.outbox.wake()
            self.log.debug("task %s (epoch %d) done", *key)

    @staticmethod
    def _failure(ctx: TaskContext, code: str, message: str):
        return session_pb.AgentMessage(error=session_pb.TaskFailure(
            task_id=ctx.task_id, epoch=ctx.epoch, code=code, message=message[:4000]))


class Agent:
    """An agent that serves tasks of ``types`` with ``handler(task) -> result`` over a node's gRPC AgentSession.

    ``run()`` connects to ``target`` (default: $AGENTBUS_GRPC_TARGET, else 127.0.0.1:9090), registers (``agent_id``
    unique in the cluster, at most ``capacity`` tasks at once, ``labels`` shown in the agent list), heartbeats at the
    lease's interval and runs each assigned task on a thread of its own (up to ``capacity``). When the connection is
    lost or the node ends the session (UNAVAILABLE), it connects again after an exponential backoff with jitter
    (``backoff_initial`` doubling up to ``backoff_max`` seconds); a refusal (INVALID_ARGUMENT, ...) or a takeover of
    its id by another session (ABORTED) is final and
    raised as :class:`agentbus.CallError`.
    """

    def __init__(self, agent_id: str, types: Iterable[str], handler: Optional[Handler] = None, *,
                 target: Optional[str] = None, capacity: int = 1, labels: Optional[Mapping[str, str]] = None,
                 backoff_initial: float = 0.1, backoff_max: float = 10.0, max_queued_reports: int = 256,
                 channel_options: Optional[list] = None, logger: Optional[logging.Logger] = None,
                 token: Optional[str] = None):
        self.agent_id = agent_id
        self.token = token or default_token()
        self.types = list(types)
        self.handler = handler
        self.target = target or default_target()
        self.capacity = capacity
        self.labels = dict(labels or {})
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_queued_reports = max_queued_reports
        self.channel_options = [("grpc.keepalive_time_ms", 30000), ("grpc.keepalive_timeout_ms", 10000),
                                ("grpc.http2.max_pings_without_data", 0),
                                ("grpc.keepalive_permit_without_calls", 1)] + list(channel_options or [])
        self.log = logger or logging.getLogger("agentbus.agent")
        self._executor = ThreadPoolExecutor(max_workers=capacity, thread_name_prefix=f"agentbus-{agent_id}")
        self._closing = threading.Event()
        self._registered_event = threading.Event()
        self._session: Optional[_Session] = None
        self._thread: Optional[threading.Thread] = None
        self._failure: Optional[BaseException] = None
        self.connections = 0
        """How many times the agent registered (1 + the reconnections that succeeded)."""

    def task(self, handler: Handler) -> Handler:
        """Decorator form: ``@agent.task`` sets the handler."""
        self.handler = handler
        return handler

    @property
    def lease(self):
        """The lease of the current session (heartbeat interval, expiry, message size), or None."""
        session = self._session
        return session.lease if session is not None else None

    def wait_registered(self, timeout: Optional[float] = None) -> bool:
        """Waits until the agent is registered (again); False on timeout. Raises what ended ``run`` if it failed."""
        registered = self._registered_event.wait(timeout)
        if self._failure is not None:
            raise self._failure
        return registered

    def run(self) -> None:
        """Serves until :meth:`stop`; raises :class:`agentbus.CallError` when the node refuses the agent."""
        if self.handler is None:
            raise ValueError("an Agent needs a handler: Agent(..., handler) or @agent.task")
        failures = 0
        while not self._closing.is_set():
            channel = with_token(grpc.insecure_channel(self.target, options=self.channel_options), self.token)
            session = _Session(self, channel)
            self._session = session
            try:
                session.serve()
                ended = "the node ended the session"
            except grpc.RpcError as e:
                error = call_error(e)
                if self._closing.is_set():
                    break
                if e.code() not in RETRIABLE:
                    self._fail(error)
                    raise error from None
                ended = str(error)
            except CallError as e:
                self._fail(e)
                raise
            finally:
                if self._failure is None:
                    self._registered_event.clear()
                session.end("the session to the node ended")
                channel.close()
            if session.lease is not None:
                failures = 0
            delay = min(self.backoff_max, self.backoff_initial * (2 ** failures)) * random.uniform(0.5, 1.0)
            failures += 1
            self.log.info("agent %s: %s; connecting again in %.2f s", self.agent_id, ended, delay)
            self._closing.wait(delay)

    def _fail(self, error: BaseException) -> None:
        self._failure = error
        self.log.error("agent %s: %s; not connecting again", self.agent_id, error)
        self._registered_event.set()

    def _registered(self, session: _Session) -> None:
        self.connections += 1
        self.log.info("agent %s registered with node %s (types %s, capacity %d, heartbeat every %d ms)",
                      self.agent_id, session.lease.node_id, self.types, self.capacity,
                      session.lease.heartbeat_interval_ms)
        self._registered_event.set()

    def start(self) -> "Agent":
        """Runs the agent on a background thread; see :meth:`wait_registered`."""
        self._thread = threading.Thread(target=self._run_quietly, name=f"agentbus-agent-{self.agent_id}", daemon=True)
        self._thread.start()
        return self

    def _run_quietly(self) -> None:
        try:
            self.run()
        except CallError:
            pass  # kept in _failure, raised by wait_registered

    def stop(self, timeout: Optional[float] = 10.0) -> None:
        """Leaves the node: ends the session (tasks still running are stopped; the fabric assigns them again) and
        waits up to ``timeout`` for the agent's threads."""
        self._closing.set()
        session = self._session
        if session is not None:
            session.end("the agent is stopping")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> "Agent":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
