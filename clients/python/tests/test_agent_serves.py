"""A Python agent serves tasks submitted over HTTP and over gRPC, streams what it does, calls tools, fails
cleanly, runs up to its capacity at once and keeps its session alive with heartbeats."""

import threading
import time
import unittest

from agentbus import AgentFailure, TaskClient, ToolError
from tests.support import GRPC, AgentCase, await_true, http, metrics, registered_agent, unique


def writer(task):
    """Thinks, streams the words of input.text upper-cased, reports progress, returns a summary."""
    task.thought("plan", "upper-case every word")
    words = task.input["text"].split()
    for i, word in enumerate(words):
        task.content(word.upper() + " ", final=i == len(words) - 1)
        task.progress("writing", int(100 * (i + 1) / len(words)), f"word {i + 1} of {len(words)}")
    return {"words": len(words), "agent_type": task.agent_type, "metadata": task.metadata}


class ServesTasks(AgentCase):

    def setUp(self):
        super().setUp()
        self.client = TaskClient(GRPC)
        self.type = unique("py-writer")

    def tearDown(self):
        self.client.close()
        super().tearDown()

    def test_registers_with_its_types_capacity_and_labels(self):
        agent = self.start_agent([self.type], writer, capacity=3, labels={"lang": "python"})
        listed = await_true(lambda: registered_agent(agent.agent_id), message="the agent in GET /v1/agents")
        self.assertEqual([self.type], listed["types"])
        self.assertEqual(3, listed["capacity"])
        self.assertEqual("python", listed["labels"]["lang"])
        self.assertGreater(agent.lease.heartbeat_interval_ms, 0)

    def test_serves_a_task_submitted_over_http(self):
        agent = self.start_agent([self.type], writer)
        status, task = http("POST", "/v1/tasks?wait=20", {"agent_type": self.type, "input": {"text": "one two three"},
                                                         "metadata": {"origin": "http"}})
        self.assertEqual(200, status, task)
        self.assertEqual("SUCCEEDED", task["state"])
        self.assertEqual({"words": 3, "agent_type": self.type, "metadata": {"origin": "http"}}, task["result"])
        self.assertEqual(agent.agent_id, task["agent_id"])

    def test_serves_a_task_run_over_grpc(self):
        agent = self.start_agent([self.type], writer)
        task = self.client.run(self.type, {"text": "a b"}, metadata={"origin": "grpc"}, deadline=30)
        self.assertEqual("SUCCEEDED", task.state)
        self.assertEqual({"words": 2, "agent_type": self.type, "metadata": {"origin": "grpc"}}, task.result)
        self.assertEqual(agent.agent_id, task.agent_id)

    def test_streams_thoughts_content_and_progress_in_order(self):
        self.start_agent([self.type], writer)
        events = list(self.client.stream(self.type, {"text": "alpha beta gamma"}, deadline=30))
        self.assertEqual(list(range(1, len(events) + 1)), [e.seq for e in events])
        kinds = [e.type for e in events]
        self.assertEqual(["submitted", "assigned", "running"], kinds[:3])
        self.assertEqual("succeeded", kinds[-1])
        self.assertEqual({"step": "plan", "delta": "upper-case every word"},
                         next(e.data for e in events if e.type == "thought"))
        content = [e.data for e in events if e.type == "content"]
        self.assertEqual("ALPHA BETA GAMMA ", "".join(c["text"] for c in content))
        self.assertEqual([False, False, True], [c["final"] for c in content])
        self.assertEqual([33, 66, 100], [e.data["percent"] for e in events if e.type == "progress"])

    def test_calls_a_tool_and_gets_its_result(self):
        def calculating(task):
            answer = task.call_tool("calculator", {"expression": task.input["expression"]})
            task.content(f"the answer is {answer['value']}", final=True)
            return answer

        self.start_agent([self.type], calculating)
        task = self.client.run(self.type, {"expression": "(2 + 4) * 7"}, deadline=30)
        self.assertEqual("SUCCEEDED", task.state, task.error)
        self.assertEqual(42, task.result["value"])
        events = list(self.client.follow(task.id, deadline=30))
        call = next(e.data for e in events if e.type == "tool_call")
        result = next(e.data for e in events if e.type == "tool_result")
        self.assertEqual(("calculator", {"expression": "(2 + 4) * 7"}), (call["tool"], call["arguments"]))
        self.assertEqual((call["call_id"], True), (result["call_id"], result["ok"]))

    def test_a_failed_tool_call_raises_a_typed_error(self):
        def careless(task):
            try:
                task.call_tool("calculator", {"expression": 12})  # the schema wants a string
            except ToolError as e:
                return {"code": e.code, "tool": e.tool}
            return "no error"

        self.start_agent([self.type], careless)
        task = self.client.run(self.type, {}, deadline=30)
        self.assertEqual({"code": "invalid-tool-arguments", "tool": "calculator"}, task.result)

    def test_a_raising_handler_fails_the_task(self):
        def failing(task):
            if task.input == "refuse":
                raise AgentFailure("model-refused", "the model will not do that")
            raise ValueError("bad input " + str(task.input))

        self.start_agent([self.type], failing)
        refused = self.client.run(self.type, "refuse", deadline=30)
        self.assertEqual(("FAILED", "model-refused", "the model will not do that"),
                         (refused.state, refused.error.code, refused.error.message))
        crashed = self.client.run(self.type, 7, deadline=30)
        self.assertEqual(("FAILED", "agent-error"), (crashed.state, crashed.error.code))
        self.assertIn("ValueError: bad input 7", crashed.error.message)

    def test_runs_up_to_its_capacity_at_once(self):
        lock = threading.Lock()
        release = threading.Event()
        running, most = [0], [0]

        def waiting(task):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                release.wait(60)
                return task.input
            finally:
                with lock:
                    running[0] -= 1

        self.start_agent([self.type], waiting, capacity=3)
        tasks = [self.client.submit(self.type, i, timeout_ms=60000) for i in range(6)]
        await_true(lambda: running[0] == 3, message="three tasks running at once")
        time.sleep(0.5)  # a negative check: nothing more starts while three run
        self.assertEqual(3, most[0])
        release.set()
        done = [self.client.get(t.id, wait_ms=30000) for t in tasks]
        self.assertEqual(["SUCCEEDED"] * 6, [t.state for t in done])
        self.assertEqual(list(range(6)), [t.result for t in done])
        self.assertEqual(3, most[0])

    def test_heartbeats_keep_an_idle_session_alive(self):
        expired = metrics().get("agentbus_grpc_agent_sessions_expired_total", 0)
        agent = self.start_agent([self.type], writer)
        lease = agent.lease
        # idle for longer than the node lets a silent session live: only heartbeats keep it
        time.sleep(2.5 * lease.expire_after_ms / 1000)
        self.assertEqual(1, agent.connections)
        self.assertEqual(expired, metrics().get("agentbus_grpc_agent_sessions_expired_total", 0))
        self.assertIsNotNone(registered_agent(agent.agent_id))
        self.assertEqual("SUCCEEDED", self.client.run(self.type, {"text": "still here"}, deadline=30).state)


if __name__ == "__main__":
    unittest.main()
