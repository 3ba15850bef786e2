"""The TaskClient over every TaskService RPC, and its errors: a CallError with the gRPC status and the agentbus code
of the status's ErrorInfo (and BadRequest field violations)."""

import unittest

import grpc

from agentbus import AgentbusError, CallError, TaskClient
from tests.support import GRPC, unique


def nested(depth):
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


class TaskClientCalls(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.client = TaskClient(GRPC)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_run_submit_get_and_follow(self):
        ran = self.client.run("echo", {"n": 1}, metadata={"k": "v"}, deadline=30)
        self.assertEqual(("SUCCEEDED", {"n": 1}, {"k": "v"}), (ran.state, ran.result, ran.metadata))
        self.assertTrue(ran.terminal)
        self.assertIsNotNone(ran.created_at)

        submitted = self.client.submit("echo", {"delay_ms": 200}, timeout_ms=20000)
        self.assertIn(submitted.state, {"SUBMITTED", "ASSIGNED", "RUNNING", "SUCCEEDED"})
        ended = self.client.get(submitted.id, wait_ms=20000)
        self.assertEqual("SUCCEEDED", ended.state)
        self.assertEqual(20000, ended.timeout_ms)

        events = list(self.client.follow(submitted.id, after_seq=2, deadline=30))
        self.assertEqual(3, events[0].seq)
        self.assertEqual("succeeded", events[-1].type)
        self.assertTrue(events[-1].terminal)

    def test_idempotency_key_replays_the_first_task(self):
        key = unique("order")
        first = self.client.submit("echo", 1, idempotency_key=key)
        again = self.client.submit("echo", 1, idempotency_key=key)
        self.assertEqual(first.id, again.id)
        self.assertTrue(again.replayed)

    def test_run_batch_answers_in_order_with_errors_in_place(self):
        results = self.client.run_batch([{"agent_type": "echo", "input": "a"},
                                         {"agent_type": unique("nobody"), "input": "b"},
                                         {"agent_type": "echo", "input": "c"}], deadline=60)
        self.assertEqual("a", results[0].result)
        self.assertIsInstance(results[1], AgentbusError)
        self.assertEqual("unknown-agent-type", results[1].code)
        self.assertEqual("c", results[2].result)

    def test_cancel_answers_the_cancelled_task_and_refuses_an_ended_one(self):
        task = self.client.submit("echo", {"delay_ms": 30000}, timeout_ms=60000)
        cancelled = self.client.cancel(task.id, "not needed")
        self.assertEqual("CANCELLED", cancelled.state)
        with self.assertRaises(CallError) as again:
            self.client.cancel(task.id)
        self.assertEqual((grpc.StatusCode.FAILED_PRECONDITION, "task-already-terminal"),
                         (again.exception.status, again.exception.code))

    def test_cancelling_a_stream_ends_it_quietly_and_cancels_its_task(self):
        stream = self.client.stream("echo", {"delay_ms": 30000}, timeout_ms=60000, deadline=60)
        seen = []
        for event in stream:
            seen.append(event)
            stream.cancel()
        self.assertEqual(["submitted"], [e.type for e in seen])
        task = self.client.get(seen[0].task_id, wait_ms=20000)
        self.assertEqual("CANCELLED", task.state)

    def test_errors_carry_status_code_and_field_violations(self):
        with self.assertRaises(CallError) as unknown:
            self.client.run("translator-" + unique("x"), {}, deadline=30)
        self.assertEqual((grpc.StatusCode.FAILED_PRECONDITION, "unknown-agent-type"),
                         (unknown.exception.status, unknown.exception.code))

        with self.assertRaises(CallError) as invalid:
            self.client.submit("not a type!", {})
        self.assertEqual((grpc.StatusCode.INVALID_ARGUMENT, "invalid-request"),
                         (invalid.exception.status, invalid.exception.code))
        self.assertEqual(["agent_type"], [f for f, _ in invalid.exception.field_violations])

        with self.assertRaises(CallError) as deep:
            self.client.submit("echo", nested(100))
        self.assertEqual((grpc.StatusCode.INVALID_ARGUMENT, "json-too-deep"), (deep.exception.status, deep.exception.code))

        with self.assertRaises(CallError) as missing:
            self.client.get("tsk_" + unique("missing"))
        self.assertEqual((grpc.StatusCode.NOT_FOUND, "task-not-found"),
                         (missing.exception.status, missing.exception.code))
        self.assertIn("NOT_FOUND task-not-found", str(missing.exception))

    def test_an_unreachable_node_is_unavailable_without_an_agentbus_code(self):
        with TaskClient("127.0.0.1:1") as nowhere:
            with self.assertRaises(CallError) as down:
                nowhere.get("tsk_x", deadline=10)
        self.assertEqual((grpc.StatusCode.UNAVAILABLE, ""), (down.exception.status, down.exception.code))


if __name__ == "__main__":
    unittest.main()
