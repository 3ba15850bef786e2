"""The exceptions the SDK raises. Every one is an AgentbusError carrying a stable agentbus error code."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple


class AgentbusError(Exception):
    """Something agentbus refused or reported as failed.

    ``code`` is the stable agentbus error code (e.g. ``unknown-agent-type``, ``invalid-tool-arguments``), ``message``
    the human explanation.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.message = message


class CallError(AgentbusError):
    """A gRPC call to a node failed.

    ``status`` is the ``grpc.StatusCode``; ``code`` the agentbus error code from the status's ``google.rpc.ErrorInfo``
    (empty when the failure did not come from agentbus, e.g. a connection refused); ``field_violations`` the
    ``(field, description)`` pairs of a ``google.rpc.BadRequest`` for an invalid request.
    """

    def __init__(self, status, code: str, message: str, field_violations: Sequence[Tuple[str, str]] = ()):
        super().__init__(code, message)
        self.status = status
        self.field_violations = list(field_violations)

    def __str__(self) -> str:
        name = getattr(self.status, "name", str(self.status))
        text = f"{name} {self.code}: {self.message}" if self.code else f"{name}: {self.message}"
        if self.field_violations:
            text += " (" + "; ".join(f"{f}: {d}" for f, d in self.field_violations) + ")"
        return text


class ToolError(AgentbusError):
    """A tool call came back failed (``ok=false``): the tool refused its arguments, failed, timed out, or the
    attempt was fenced. ``code`` is e.g. ``invalid-tool-arguments``, ``tool-timeout``, ``unknown-tool``."""

    def __init__(self, tool: str, call_id: str, code: str, message: str):
        super().__init__(code, f"tool {tool} (call {call_id}): {message}")
        self.tool = tool
        self.call_id = call_id


class TaskStopped(AgentbusError):
    """Raised in agent code that reports on (or waits in) a task the fabric stopped: cancelled, timed out, the
    client's deadline passed, or the session to the node was lost. Let it propagate: the SDK has already told the
    fabric the attempt stopped."""

    def __init__(self, task_id: str, reason: Optional[str]):
        super().__init__("task-stopped", f"task {task_id} was stopped: {reason or 'no reason given'}")
        self.task_id = task_id
        self.reason = reason


class TaskHibernated(TaskStopped):
    """Raised by :meth:`TaskContext.hibernate` once the fabric saved the snapshot and took the task back: let it
    propagate (the SDK sends no result). ``version`` is the snapshot version saved."""

    def __init__(self, task_id: str, version: int):
        super().__init__(task_id, "hibernated")
        self.version = version


class AgentFailure(AgentbusError):
    """Raise it from a task handler to fail the task with your own error code (any other exception fails it with
    code ``agent-error``)."""
