#!/usr/bin/env python3
"""A "commander" agent: plans with thoughts, calls the node's calculator tool for each cost, streams a report,
writes a summary word by word (as a model would generate it, honouring a stop at once) and returns the result.
Deterministic, no LLM.

    cd clients/python && ./generate.sh
    /usr/bin/python3 examples/commander.py --target 127.0.0.1:9090
    /usr/bin/python3 examples/task_client.py            # in another terminal

A task input looks like {"goal": "...", "costs": {"flight": "320", "hotel": "3 * 95"}, "words_per_second": 20}.
"""

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from agentbus import Agent, TaskContext  # noqa: E402

DEFAULT_INPUT = {"goal": "estimate the cost of a weekend in Rome",
                 "costs": {"flight": "2 * 160", "hotel": "2 * 95", "food": "2 * 3 * 18", "museums": "2 * 25"}}


def commander(task: TaskContext):
    goal = (task.input or {}).get("goal", DEFAULT_INPUT["goal"])
    costs = (task.input or {}).get("costs", DEFAULT_INPUT["costs"])
    pace = 1.0 / float((task.input or {}).get("words_per_second", 50))

    task.thought("plan", f"Goal: {goal}. ")
    task.thought("plan", f"I will price {len(costs)} items with the calculator, add them up, then summarise.")
    task.progress("plan", 10, f"{len(costs)} items to price")

    priced = {}
    for i, (item, expression) in enumerate(costs.items(), start=1):
        task.thought("act", f"pricing {item} as {expression}")
        priced[item] = task.call_tool("calculator", {"expression": str(expression)})["value"]
        task.content(f"- {item}: {priced[item]:g}\n")
        task.progress("pricing", 10 + int(70 * i / len(costs)), f"{item} priced")

    total = task.call_tool("calculator", {"expression": " + ".join(f"{v:g}" for v in priced.values())})["value"]
    task.thought("observe", f"the total is {total:g}")
    task.progress("summary", 90, "writing the summary")

    summary = (f"To {goal} you need about {total:g} in all; the largest item is "
               f"{max(priced, key=priced.get)} at {max(priced.values()):g}.")
    for word in summary.split():
        task.content(word + " ")          # raises TaskStopped once the task is stopped
        if task.wait_stopped(pace):       # a model loop checks between tokens; this wakes at once on a stop
            task.check_stopped()
    task.content("\n", final=True)
    return {"goal": goal, "costs": priced, "total": total, "summary": summary}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="the node's gRPC address (default $AGENTBUS_GRPC_TARGET or 127.0.0.1:9090)")
    parser.add_argument("--id", default="commander-1", help="the agent id (unique in the cluster)")
    parser.add_argument("--type", default="commander", help="the agent type it serves")
    parser.add_argument("--capacity", type=int, default=4, help="tasks at once")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    agent = Agent(args.id, [args.type], commander, target=args.target, capacity=args.capacity,
                  labels={"example": "commander", "lang": "python"})
    try:
        agent.run()
    except KeyboardInterrupt:
        agent.stop()


if __name__ == "__main__":
    main()
