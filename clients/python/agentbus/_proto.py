"""The generated agentbus.v1 modules, with a clear message when generate.sh has not been run."""

try:
    from .v1 import agent_session_pb2 as session_pb
    from .v1 import agent_session_pb2_grpc as session_grpc
    from .v1 import tasks_pb2 as tasks_pb
    from .v1 import tasks_pb2_grpc as tasks_grpc
except ImportError as e:  # pragma: no cover - depends on the checkout
    raise ImportError("the agentbus.v1 stubs are not generated: run clients/python/generate.sh "
                      f"(needs protoc and grpc_python_plugin) ({e})") from e

__all__ = ["session_pb", "session_grpc", "tasks_pb", "tasks_grpc"]
