"""Interrupts: a cancel (over HTTP or gRPC) while the agent streams content reaches the agent's code, which stops;
the task ends CANCELLED and the SDK acknowledges the stop. A gRPC Run whose deadline passes ends with
DEADLINE_EXCEEDED, cancels the task, and the agent sees the stop.

Prints the stop latency of every round ("stop-latency ..." lines): from the cancel call's response, and from its
request, to the moment the stop reached the agent process (SDK) and the agent's code (woken in wait_stopped). A
negative figure means the stop arrived before the cancel's response. The tests assert that the stop arrives and
what follows, not how fast (the machine may be loaded)."""

import statistics
import threading
import time
import unittest

import grpc

from agentbus import CallError, TaskClient, TaskStopped
from tests.support import GRPC, AgentCase, await_true, http, metrics, unique

ROUNDS = 10


class Generator:
    """An agent that streams tokens until it is stopped, and records when its code saw the stop."""

    def __init__(self):
        self.lock = threading.Lock()
        self.streaming = {}   # task id -> Event set once 20 tokens went out
        self.seen = {}        # task id -> (stop reached the process, agent code saw it, reason, raised after stop)

    def started(self, task_id):
        with self.lock:
            return self.streaming.setdefault(task_id, threading.Event())

    def __call__(self, task):
        streaming = self.started(task.task_id)
        token = 0
        while True:
            try:
                task.content(f"token-{token} ")
            except TaskStopped:  # the stop came while the report waited for room in the stream
                self.seen[task.task_id] = (task.stopped_at, time.monotonic(), task.stop_reason, True)
                raise
            token += 1
            if token == 20:
                streaming.set()
            if task.wait_stopped(0.005):
                code_saw = time.monotonic()
                try:
                    task.content("one more after the stop")
                    raised = False
                except TaskStopped:
                    raised = True
                self.seen[task.task_id] = (task.stopped_at, code_saw, task.stop_reason, raised)
                return "stopped"
            if token > 200000:
                return "never stopped"


def summary(name, values):
    return (f"{name} median={statistics.median(values):.1f} min={min(values):.1f} max={max(values):.1f} ms")


class Interrupts(AgentCase):

    def setUp(self):
        super().setUp()
        self.client = TaskClient(GRPC)
        self.type = unique("py-generator")
        self.generator = Generator()
        self.start_agent([self.type], self.generator, capacity=2)

    def tearDown(self):
        self.client.close()
        super().tearDown()

    def _cancel_mid_stream(self, via):
        unacknowledged = metrics().get("agentbus_grpc_agent_stops_unacknowledged_total", 0)
        after_response, after_request, code_after_response = [], [], []
        for i in range(ROUNDS):
            task = self.client.submit(self.type, {"round": i}, timeout_ms=60000)
            self.assertTrue(self.generator.started(task.id).wait(30), "the agent did not start streaming")
            await_true(lambda: self.client.get(task.id).last_seq >= 10, message="content events of the task")
            sent = time.monotonic()
            if via == "http":
                status, body = http("POST", f"/v1/tasks/{task.id}/cancel", {"reason": f"round {i}"})
                self.assertEqual(200, status, body)
                state = body["state"]
            else:
                state = self.client.cancel(task.id, f"round {i}").state
            answered = time.monotonic()
            self.assertEqual("CANCELLED", state)
            reached, code_saw, reason, raised = await_true(lambda: self.generator.seen.get(task.id),
                                                           message="the stop reaching the agent's code")
            self.assertEqual(f"round {i}", reason)
            self.assertTrue(raised, "a report after the stop must raise TaskStopped")
            after_response.append((reached - answered) * 1000)
            after_request.append((reached - sent) * 1000)
            code_after_response.append((code_saw - answered) * 1000)
            print(f"stop-latency via={via} round={i} after_response_ms={after_response[-1]:.1f} "
                  f"after_request_ms={after_request[-1]:.1f} agent_code_after_response_ms={code_after_response[-1]:.1f} "
                  f"cancel_call_ms={(answered - sent) * 1000:.1f}", flush=True)
            events = list(self.client.follow(task.id, deadline=30))
            self.assertGreaterEqual(sum(1 for e in events if e.type == "content"), 7)
            self.assertEqual("cancelled", events[-1].type)
            self.assertEqual("CANCELLED", self.client.get(task.id).state)
        print(f"stop-latency summary via={via} rounds={ROUNDS} " + summary("after_response", after_response) + "; "
              + summary("after_request", after_request) + "; " + summary("agent_code_after_response",
                                                                         code_after_response), flush=True)
        # every stop was acknowledged in time (the SDK answers stop_ack at once)
        self.assertEqual(unacknowledged, metrics().get("agentbus_grpc_agent_stops_unacknowledged_total", 0))

    def test_a_cancel_over_http_stops_the_agent_mid_stream(self):
        self._cancel_mid_stream("http")

    def test_a_cancel_over_grpc_stops_the_agent_mid_stream(self):
        self._cancel_mid_stream("grpc")

    def test_a_run_deadline_cancels_the_task_and_stops_the_agent(self):
        started = time.monotonic()
        with self.assertRaises(CallError) as deadline:
            self.client.run(self.type, {"deadline": True}, timeout_ms=60000, deadline=0.5)
        print(f"deadline: Run ended with {deadline.exception.status.name} after "
              f"{(time.monotonic() - started) * 1000:.0f} ms", flush=True)
        self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, deadline.exception.status)
        task_id = await_true(lambda: next(iter(self.generator.seen), None), message="the agent seeing the stop")
        self.assertTrue(self.generator.seen[task_id][3])
        task = self.client.get(task_id, wait_ms=20000)
        self.assertEqual("CANCELLED", task.state)
        print(f"deadline: the agent was told '{self.generator.seen[task_id][2]}'; task {task.state} "
              f"({task.error.code}: {task.error.message})", flush=True)

    def test_a_stream_deadline_cancels_the_task_too(self):
        stream = self.client.stream(self.type, {"stream": True}, timeout_ms=60000, deadline=1.0)
        with self.assertRaises(CallError) as deadline:
            for _ in stream:
                pass
        self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, deadline.exception.status)
        task_id = await_true(lambda: next(iter(self.generator.seen), None), message="the agent seeing the stop")
        self.assertEqual("CANCELLED", self.client.get(task_id, wait_ms=20000).state)


if __name__ == "__main__":
    unittest.main()
