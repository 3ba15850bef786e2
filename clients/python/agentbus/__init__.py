"""agentbus Python SDK: agents that serve tasks over a node's gRPC AgentSession, and a TaskService client.

    from agentbus import Agent

    def handler(task):
        task.content("hello " + task.input["name"])
        return {"greeted": task.input["name"]}

    Agent("greeter-1", ["greet"], handler, target="127.0.0.1:9090").run()

The agentbus.v1 stubs are generated from the node's .proto files by clients/python/generate.sh.
"""

from .agent import Agent
from .client import TaskClient, TaskStream, submit_request
from .context import TaskContext
from .errors import AgentbusError, AgentFailure, CallError, TaskHibernated, TaskStopped, ToolError
from .tasks import Task, TaskError, TaskEvent

__all__ = ["Agent", "AgentFailure", "AgentbusError", "CallError", "Task", "TaskClient", "TaskContext", "TaskError",
           "TaskEvent", "TaskHibernated", "TaskStopped", "TaskStream", "ToolError", "submit_request"]
