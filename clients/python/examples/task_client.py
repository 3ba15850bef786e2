#!/usr/bin/env python3
"""A task client: streams a commander task as it happens (thoughts, tool calls, content, progress), then runs one
and waits for its result, cancels one mid-way, and shows how a refused call looks.

    /usr/bin/python3 examples/task_client.py --target 127.0.0.1:9090 --type commander
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from agentbus import CallError, TaskClient  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description="agentbus task client example")
    parser.add_argument("--target", help="the node's gRPC address (default $AGENTBUS_GRPC_TARGET or 127.0.0.1:9090)")
    parser.add_argument("--type", default="commander", help="the agent type to run")
    args = parser.parse_args()

    with TaskClient(args.target) as client:
        print("== stream: every event of a task as it happens")
        for event in client.stream(args.type, {"goal": "plan a picnic", "costs": {"bread": "2 * 3", "cheese": "7.5"}},
                                   deadline=60):
            if event.type == "thought":
                print(f"  [{event.seq}] thinks ({event.data['step']}): {event.data['delta']}")
            elif event.type == "content":
                print(f"  [{event.seq}] writes: {event.data['text']!r}")  # a model's tokens, as they come
            elif event.type in ("tool_call", "tool_result"):
                print(f"  [{event.seq}] {event.type}: {event.data.get('arguments', event.data.get('result'))}")
            elif event.type == "progress":
                print(f"  [{event.seq}] progress {event.data['percent']}%: {event.data['message']}")
            else:
                print(f"  [{event.seq}] {event.type}")

        print("== run: wait for the result")
        task = client.run(args.type, {"goal": "estimate a city break", "costs": {"train": "2 * 45", "hotel": "120"}},
                          deadline=60)
        print(f"  {task.id} {task.state}: total {task.result['total']:g}; {task.result['summary']}")

        print("== cancel: stop a slow generation mid-way")
        slow = client.submit(args.type, {"goal": "write slowly", "costs": {"x": "1"}, "words_per_second": 2})
        client.get(slow.id, wait_ms=1500)
        cancelled = client.cancel(slow.id, "changed my mind")
        print(f"  {cancelled.id} {cancelled.state}: {cancelled.error.message}")

        print("== errors: a CallError carries the gRPC status and the agentbus code")
        try:
            client.run("no-such-agent", {})
        except CallError as e:
            print(f"  {e.status.name} {e.code}: {e.message}")


if __name__ == "__main__":
    main()
