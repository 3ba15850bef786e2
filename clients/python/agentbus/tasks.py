"""Tasks and task events as plain Python values (JSON fields parsed)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from ._proto import tasks_pb

TERMINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "COMPENSATED"})


def parse_json(text: str) -> Any:
    """JSON text of an ``*_json`` field; the empty string is no value (None)."""
    return json.loads(text) if text else None


def _time(ts) -> Optional[datetime.datetime]:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return ts.ToDatetime(tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class TaskError:
    code: str
    message: str


@dataclass(frozen=True)
class Task:
    """A task as a node reports it. ``state`` is e.g. ``"RUNNING"``, ``"SUCCEEDED"``; ``result`` the parsed result once
    SUCCEEDED; ``error`` set once FAILED, CANCELLED or TIMED_OUT."""

    id: str
    agent_type: str
    state: str
    input: Any
    result: Any
    error: Optional[TaskError]
    metadata: Dict[str, str]
    timeout_ms: int
    attempt: int
    agent_id: str
    last_seq: int
    owner_node: str
    created_at: Optional[datetime.datetime]
    updated_at: Optional[datetime.datetime]
    replayed: bool = False

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    @classmethod
    def from_proto(cls, t) -> "Task":
        return cls(
            id=t.id, agent_type=t.agent_type, state=tasks_pb.TaskState.Name(t.state)[len("TASK_STATE_"):],
            input=parse_json(t.input_json), result=parse_json(t.result_json),
            error=TaskError(t.error.code, t.error.message) if t.HasField("error") else None,
            metadata=dict(t.metadata), timeout_ms=t.timeout_ms, attempt=t.attempt, agent_id=t.agent_id,
            last_seq=t.last_seq, owner_node=t.owner_node,
            created_at=_time(t.created_at) if t.HasField("created_at") else None,
            updated_at=_time(t.updated_at) if t.HasField("updated_at") else None, replayed=t.replayed)


@dataclass(frozen=True)
class TaskEvent:
    """One event of a task: ``type`` as in the SSE stream (``"submitted"``, ``"thought"``, ``"content"``,
    ``"progress"``, ``"tool_call"``, ``"tool_result"``, ``"succeeded"``, ...), ``data`` its parsed data."""

    task_id: str
    seq: int
    type: str
    time: Optional[datetime.datetime]
    data: Any = field(default=None)

    @property
    def terminal(self) -> bool:
        return self.type.upper() in TERMINAL_STATES

    @classmethod
    def from_proto(cls, e) -> "TaskEvent":
        return cls(task_id=e.task_id, seq=e.seq,
                   type=tasks_pb.TaskEventType.Name(e.type)[len("TASK_EVENT_TYPE_"):].lower(),
                   time=_time(e.time) if e.HasField("time") else None, data=parse_json(e.data_json))
