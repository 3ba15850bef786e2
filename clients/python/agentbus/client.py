"""TaskClient: submit, run, stream, get and cancel tasks over the node's gRPC TaskService."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

import grpc

from ._auth import default_token, with_token

from ._proto import tasks_grpc, tasks_pb
from ._status import call_error
from .errors import AgentbusError
from .tasks import Task, TaskEvent

DEFAULT_TARGET = "127.0.0.1:9090"


def default_target() -> str:
    """Where a node's gRPC gateway is when no target is given: $AGENTBUS_GRPC_TARGET, else 127.0.0.1:9090."""
    return os.environ.get("AGENTBUS_GRPC_TARGET") or DEFAULT_TARGET


def submit_request(agent_type: str, input: Any = None, *, timeout_ms: int = 0,
                   metadata: Optional[Mapping[str, str]] = None, idempotency_key: str = "",
                   traceparent: str = "", session_id: str = "", on_busy: str = "") -> "tasks_pb.SubmitRequest":
    """A SubmitRequest; ``input`` is any JSON-serializable value (None sends no input). ``session_id`` puts the task
    in a session (its tasks run one at a time); ``on_busy`` ("enqueue", "reject", "interrupt") says what to do when
    another task of the session runs."""
    return tasks_pb.SubmitRequest(agent_type=agent_type, input_json="" if input is None else json.dumps(input),
                                  timeout_ms=timeout_ms, metadata=dict(metadata or {}),
                                  idempotency_key=idempotency_key or "", traceparent=traceparent or "",
                                  session_id=session_id or "", on_busy=on_busy or "")


class TaskStream:
    """The events of one task as they happen, ending with its terminal event. Iterate it; ``cancel()`` ends the call
    (which, for a task this call submitted, cancels the task too when the node is so configured)."""

    def __init__(self, call):
        self._call = call
        self._cancelled = False

    def __iter__(self) -> Iterator[TaskEvent]:
        try:
            for event in self._call:
                yield TaskEvent.from_proto(event)
        except grpc.RpcError as e:
            if e.code() == grpc.StatusCode.CANCELLED and self._cancelled:
                return
            raise call_error(e) from None

    def cancel(self) -> None:
        self._cancelled = True
        self._call.cancel()


class TaskClient:
    """A client of one node's TaskService. Every method raises :class:`agentbus.CallError` (with the gRPC status
    and the agentbus error code) when the node refuses or fails the call. ``deadline`` (seconds) is the gRPC
    deadline of a call: on Run and Stream, a deadline that passes cancels the task."""

    def __init__(self, target: Optional[str] = None, *, channel: Optional[grpc.Channel] = None,
                 token: Optional[str] = None):
        """``token``: a JWT or an ``abk_`` API key sent as ``authorization: Bearer ...`` (default $AGENTBUS_TOKEN)."""
        self._own_channel = channel is None
        self._channel = with_token(channel or grpc.insecure_channel(target or default_target()),
                                   token or default_token())
        self._stub = tasks_grpc.TaskServiceStub(self._channel)

    def __enter__(self) -> "TaskClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._own_channel:
            self._channel.close()

    @staticmethod
    def _unary(method, request, deadline: Optional[float]):
        try:
            return method(request, timeout=deadline)
        except grpc.RpcError as e:
            raise call_error(e) from None

    def submit(self, agent_type: str, input: Any = None, *, deadline: Optional[float] = None, **options) -> Task:
        """Submits a task; answers once it is accepted (durable). Options: timeout_ms, metadata, idempotency_key,
        traceparent, session_id, on_busy."""
        return Task.from_proto(self._unary(self._stub.Submit, submit_request(agent_type, input, **options), deadline))

    def run(self, agent_type: str, input: Any = None, *, deadline: Optional[float] = None, **options) -> Task:
        """Submits a task and waits for it to end; answers the ended task (look at ``state``, ``result``,
        ``error``)."""
        return Task.from_proto(self._unary(self._stub.Run, submit_request(agent_type, input, **options), deadline))

    def stream(self, agent_type: str, input: Any = None, *, deadline: Optional[float] = None,
               **options) -> TaskStream:
        """Submits a task and streams every event of it, from ``submitted`` to its terminal event."""
        request = tasks_pb.StreamRequest(submit=submit_request(agent_type, input, **options))
        return TaskStream(self._stub.Stream(request, timeout=deadline))

    def follow(self, task_id: str, after_seq: int = 0, *, deadline: Optional[float] = None) -> TaskStream:
        """Streams the events of an existing task after ``after_seq`` (0: all of them)."""
        request = tasks_pb.StreamRequest(follow=tasks_pb.FollowTask(task_id=task_id, after_seq=after_seq))
        return TaskStream(self._stub.Stream(request, timeout=deadline))

    def get(self, task_id: str, *, wait_ms: int = 0, deadline: Optional[float] = None) -> Task:
        """The task as it is now, or once it ended if that happens within ``wait_ms``."""
        return Task.from_proto(self._unary(self._stub.Get, tasks_pb.GetTaskRequest(task_id=task_id, wait_ms=wait_ms),
                                           deadline))

    def cancel(self, task_id: str, reason: str = "", *, deadline: Optional[float] = None) -> Task:
        """Cancels a task (its agent is told to stop); answers the CANCELLED task. A task that had ended already is
        a CallError with code ``task-already-terminal``."""
        return Task.from_proto(self._unary(self._stub.Cancel,
                                           tasks_pb.CancelTaskRequest(task_id=task_id, reason=reason), deadline))

    def run_batch(self, requests: List[Union[Dict[str, Any], "tasks_pb.SubmitRequest"]], *,
                  deadline: Optional[float] = None) -> List[Union[Task, AgentbusError]]:
        """Runs several tasks at once: one Task, or an AgentbusError for a refused one, per request, in order.
        A request is a SubmitRequest or a dict of :func:`submit_request`'s arguments."""
        batch = tasks_pb.RunBatchRequest(tasks=[r if isinstance(r, tasks_pb.SubmitRequest) else submit_request(**r)
                                                for r in requests])
        response = self._unary(self._stub.RunBatch, batch, deadline)
        return [Task.from_proto(r.task) if r.HasField("task") else AgentbusError(r.error.code, r.error.message)
                for r in response.results]
