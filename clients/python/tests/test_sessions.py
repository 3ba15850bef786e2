"""Sessions: a Python agent hibernates a task through a tool call (its snapshot saved, its slot free) and the task
resumes with the snapshot and the tool's outcome; a stale snapshot version is refused; tasks of one session run one
at a time and a reject submit to a busy session fails with session-busy."""

import threading

import grpc

from agentbus import AgentbusError, CallError, TaskClient
from tests.support import GRPC, AgentCase, unique


class Sessions(AgentCase):

    def setUp(self):
        super().setUp()
        self.client = TaskClient(GRPC)
        self.type = unique("py-sleeper")

    def tearDown(self):
        self.client.close()
        super().tearDown()

    def test_hibernates_and_resumes_with_its_snapshot_and_the_tool_result(self):
        def sleeper(task):
            if task.resume is None:
                task.hibernate("calculator", {"expression": "6 * 7"}, {"plan": ["ask", "answer"], "step": 1})
                raise AssertionError("hibernate returned")
            try:
                task.hibernate("calculator", {"expression": "1"}, {"step": 2}, expected_version=0)
                conflict = "none"
            except AgentbusError as e:
                conflict = e.code
            return {"snapshot": task.resume["snapshot"], "value": task.resume["tool_result"]["result"]["value"],
                    "session": task.resume["session_id"], "conflict": conflict}

        self.start_agent([self.type], sleeper)
        session = unique("conversation")
        task = self.client.run(self.type, {"q": "six times seven"}, session_id=session, deadline=60)
        self.assertEqual("SUCCEEDED", task.state, task.error)
        self.assertEqual({"snapshot": {"version": 1, "state": {"plan": ["ask", "answer"], "step": 1}}, "value": 42,
                          "session": session, "conflict": "session-version-conflict"}, task.result)
        events = list(self.client.follow(task.id, deadline=30))
        sleeping = [e.data for e in events if e.type == "input_required"]
        self.assertEqual(["hibernating"], [d["reason"] for d in sleeping])
        self.assertEqual(1, sum(1 for e in events if e.type == "succeeded"))

    def test_a_busy_session_refuses_a_reject_submit(self):
        started = threading.Event()

        def holding(task):
            started.set()
            task.wait_stopped(60)
            return "stopped"

        self.start_agent([self.type], holding, capacity=4)
        session = unique("busy")
        first = self.client.submit(self.type, {}, session_id=session, deadline=30)
        self.assertTrue(started.wait(30), "the first task did not start")
        with self.assertRaises(CallError) as refused:
            self.client.submit(self.type, {}, session_id=session, on_busy="reject", deadline=30)
        self.assertEqual((grpc.StatusCode.ABORTED, "session-busy"), (refused.exception.status, refused.exception.code))
        with self.assertRaises(CallError) as invalid:
            self.client.submit(self.type, {}, session_id=session, on_busy="sometimes", deadline=30)
        self.assertEqual("invalid-request", invalid.exception.code)
        self.assertEqual("CANCELLED", self.client.cancel(first.id, deadline=30).state)
