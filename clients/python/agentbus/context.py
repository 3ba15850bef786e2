"""TaskContext: what an agent's task handler gets for one assignment."""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any, Callable, Dict, Optional

from ._proto import session_pb
from .errors import AgentbusError, TaskHibernated, TaskStopped, ToolError
from .tasks import parse_json


class TaskContext:
    """One attempt of one task, as assigned to this agent.

    Read ``input`` (the parsed task input), ``metadata``, ``deadline`` (wall-clock seconds); report with
    :meth:`thought`, :meth:`content`, :meth:`progress`; call tools with :meth:`call_tool`. Return a value from the
    handler to succeed, raise to fail.

    The fabric can stop the attempt at any time (cancel, timeout, the client's deadline). Then ``stopped`` turns
    True, :meth:`wait_stopped` returns, callbacks given to :meth:`on_stop` run, and every report or tool call raises
    :class:`TaskStopped`. A long generation should check ``stopped`` (or wait with :meth:`wait_stopped` instead of
    ``time.sleep``) between steps. Thread-safe.
    """

    def __init__(self, session, assignment):
        self._session = session
        self.task_id: str = assignment.task_id
        self.epoch: int = assignment.epoch
        self.agent_type: str = assignment.agent_type
        self.input_json: str = assignment.input_json
        try:
            self.input: Any = parse_json(assignment.input_json)
        except ValueError:
            self.input = assignment.input_json
        self.metadata: Dict[str, str] = dict(assignment.metadata)
        self.deadline: Optional[float] = assignment.deadline_epoch_ms / 1000 if assignment.deadline_epoch_ms else None
        self.traceparent: str = assignment.traceparent
        self._changed = threading.Condition()
        self._stopped = threading.Event()
        self._stop_reason: Optional[str] = None
        self._stopped_at: Optional[float] = None
        self._on_stop = []
        self._tool_results: Dict[str, Any] = {}
        self._call_ids = itertools.count(1)
        self._hibernate_ack = None
        #: None for a fresh start; for a task woken from hibernation the parsed resume_json:
        #: {"session_id", "wake", "snapshot": {"version", "state"}, "tool_result": {"ok", "result", "error", ...}}
        self.resume: Optional[Dict[str, Any]] = json.loads(assignment.resume_json) if assignment.resume_json else None
        # a woken attempt must not reuse the call ids of the attempts before it (the fabric runs each id once)
        self._call_prefix = f"w{self.resume.get('wake', 0)}-" if self.resume else ""

    # ---- stop

    @property
    def stopped(self) -> bool:
        """True once the fabric stopped this attempt (or the session to the node was lost)."""
        return self._stopped.is_set()

    @property
    def stop_reason(self) -> Optional[str]:
        """Why the attempt was stopped, e.g. "cancelled by request", "client deadline exceeded"."""
        return self._stop_reason

    @property
    def stopped_at(self) -> Optional[float]:
        """``time.monotonic()`` when the stop reached this process, or None."""
        return self._stopped_at

    def wait_stopped(self, timeout: Optional[float] = None) -> bool:
        """Waits up to ``timeout`` seconds for a stop; True if the attempt is stopped. Use it where a loop would
        sleep: it wakes the moment the stop arrives."""
        return self._stopped.wait(timeout)

    def check_stopped(self) -> None:
        """Raises :class:`TaskStopped` if the attempt was stopped."""
        if self._stopped.is_set():
            raise TaskStopped(self.task_id, self._stop_reason)

    def on_stop(self, callback: Callable[[str], None]) -> None:
        """Calls ``callback(reason)`` when the attempt is stopped (at once if it already is), on the SDK's thread:
        keep it short (set a flag, cancel a request)."""
        with self._changed:
            if not self._stopped.is_set():
                self._on_stop.append(callback)
                return
        callback(self._stop_reason)

    def time_left(self) -> Optional[float]:
        """Seconds until the task's deadline, or None without one."""
        return None if self.deadline is None else self.deadline - time.time()

    # ---- reports

    def thought(self, step: str, delta: str) -> None:
        """Streams a piece of reasoning: ``delta`` added to the step named ``step`` (e.g. "plan", "observe")."""
        self._report(session_pb.AgentMessage(thought=session_pb.Thought(
            task_id=self.task_id, epoch=self.epoch, step=step, delta=delta)))

    def content(self, text: str, final: bool = False) -> None:
        """Streams a chunk of the content the agent writes; ``final`` on the last chunk of a piece."""
        self._report(session_pb.AgentMessage(content=session_pb.ContentChunk(
            task_id=self.task_id, epoch=self.epoch, text=text, final=final)))

    def progress(self, stage: str, percent: int, message: str = "") -> None:
        """Reports progress: a stage name, 0-100 percent and a message."""
        if not 0 <= percent <= 100:
            raise ValueError(f"percent must be 0 to 100, not {percent}")
        self._report(session_pb.AgentMessage(progress=session_pb.Progress(
            task_id=self.task_id, epoch=self.epoch, stage=stage, percent=int(percent), message=message)))

    def call_tool(self, name: str, arguments: Optional[Dict[str, Any]] = None, *,
                  timeout: Optional[float] = None) -> Any:
        """Calls a tool of the node's registry (e.g. "calculator") with JSON arguments and waits for its result (the
        parsed JSON). The fabric runs it exactly once. Raises :class:`ToolError` when the tool call fails (bad
        arguments, tool error or timeout) and :class:`TaskStopped` when the attempt is stopped meanwhile."""
        call_id = self._next_call_id()
        self._report(session_pb.AgentMessage(tool_call=session_pb.ToolCallRequest(
            task_id=self.task_id, epoch=self.epoch, call_id=call_id, tool=name,
            arguments_json=json.dumps(arguments if arguments is not None else {}))))
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: call_id in self._tool_results or self._stopped.is_set(), timeout)
            result = self._tool_results.pop(call_id, None)
        if result is None:
            self.check_stopped()
            if not arrived:
                raise ToolError(name, call_id, "tool-timeout", f"no result within {timeout} s")
        if not result.ok:
            raise ToolError(name, call_id, result.error.code or "tool-failed", result.error.message)
        return parse_json(result.result_json)

    def hibernate(self, tool: str, arguments: Optional[Dict[str, Any]], state: Any, expected_version: int = 0, *,
                  timeout: Optional[float] = 30.0) -> None:
        """Sleeps through a long tool call without holding this agent's capacity: saves ``state`` (any JSON value)
        as the next snapshot of the task's session, if the session is still at ``expected_version`` (0 before the
        first save; the version of ``resume["snapshot"]`` after a wake-up), starts ``tool`` and gives the task back.
        On success it raises :class:`TaskHibernated` (let it propagate); when the tool's outcome arrives the task is
        assigned again, to any agent of its type on any node, with :attr:`resume` holding the snapshot and the
        outcome. A stale version raises :class:`AgentbusError` with code ``session-version-conflict`` and the
        attempt goes on."""
        call_id = self._next_call_id()
        with self._changed:
            self._hibernate_ack = None
        self._report(session_pb.AgentMessage(hibernate=session_pb.Hibernate(
            task_id=self.task_id, epoch=self.epoch, call_id=call_id, tool=tool,
            arguments_json=json.dumps(arguments if arguments is not None else {}), state_json=json.dumps(state),
            expected_version=int(expected_version))))
        with self._changed:
            arrived = self._changed.wait_for(lambda: self._hibernate_ack is not None or self._stopped.is_set(), timeout)
            ack, self._hibernate_ack = self._hibernate_ack, None
        if ack is None:
            self.check_stopped()
            if not arrived:
                raise AgentbusError("upstream-timeout", f"the node did not answer the hibernation within {timeout} s")
        if not ack.ok:
            raise AgentbusError(ack.problem.code, ack.problem.message)
        self._stop("hibernated")
        raise TaskHibernated(self.task_id, ack.session_version)

    def _next_call_id(self) -> str:
        return f"{self._call_prefix}call-{next(self._call_ids)}"

    def _report(self, message) -> None:
        self.check_stopped()
        if not self._session.send_report(self, message):
            self.check_stopped()
            raise TaskStopped(self.task_id, "the session to the node ended")

    # ---- called by the session

    def _stop(self, reason: str) -> bool:
        with self._changed:
            if self._stopped.is_set():
                return False
            self._stopped_at = time.monotonic()
            self._stop_reason = reason
            self._stopped.set()
            callbacks, self._on_stop = self._on_stop, []
            self._changed.notify_all()
        for callback in callbacks:
            try:
                callback(reason)
            except Exception:  # an agent's callback must not break the session
                self._session.log.exception("on_stop callback of task %s failed", self.task_id)
        return True

    def _hibernated(self, ack) -> None:
        with self._changed:
            self._hibernate_ack = ack
            self._changed.notify_all()

    def _tool_result(self, result) -> None:
        with self._changed:
            self._tool_results[result.call_id] = result
            self._changed.notify_all()
