"""Reconnection: an agent whose connection is lost, or whose session the node ends (UNAVAILABLE), connects again
with backoff and serves again; a task it was running is stopped in its code and runs again on the new session. A
refused registration (INVALID_ARGUMENT) and a takeover of its id (ABORTED) are final."""

import threading
import unittest

import grpc

from agentbus import Agent, CallError, TaskClient
from tests.support import GRPC, AgentCase, TcpProxy, await_true, metrics, registered_agent, unique


def echo(task):
    return {"echo": task.input}


class Reconnects(AgentCase):

    def setUp(self):
        super().setUp()
        self.proxy = TcpProxy(GRPC)
        self.client = TaskClient(GRPC)
        self.type = unique("py-echo")

    def tearDown(self):
        super().tearDown()
        self.client.close()
        self.proxy.close()

    def test_connects_again_after_the_connection_is_lost(self):
        agent = self.start_agent([self.type], echo, target=self.proxy.address)
        self.assertEqual({"echo": 1}, self.client.run(self.type, 1, deadline=30).result)
        self.proxy.drop_all()
        await_true(lambda: agent.connections == 2, message="the agent registered again")
        await_true(lambda: registered_agent(agent.agent_id), message="the agent back in the registry")
        again = self.client.run(self.type, 2, deadline=30)
        self.assertEqual(({"echo": 2}, agent.agent_id), (again.result, again.agent_id))
        self.assertEqual(2, self.proxy.connections)

    def test_connects_again_when_the_node_ends_a_silent_session(self):
        expired = metrics().get("agentbus_grpc_agent_sessions_expired_total", 0)
        agent = self.start_agent([self.type], echo, target=self.proxy.address)
        # the node hears nothing more on this connection (no heartbeats): it ends the session with UNAVAILABLE
        self.proxy.stall_upstream()
        await_true(lambda: agent.connections == 2, timeout=60, message="the agent registered again")
        self.assertEqual(expired + 1, metrics().get("agentbus_grpc_agent_sessions_expired_total", 0))
        self.assertEqual({"echo": "back"}, self.client.run(self.type, "back", deadline=30).result)

    def test_a_task_running_when_the_connection_is_lost_runs_again_on_the_new_session(self):
        first_attempt = threading.Event()
        seen = []

        def long_then_quick(task):
            seen.append((task.epoch, task))
            if len(seen) == 1:
                first_attempt.set()
                task.wait_stopped(120)
                task.check_stopped()
            return {"epoch": task.epoch}

        agent = self.start_agent([self.type], long_then_quick, target=self.proxy.address)
        task = self.client.submit(self.type, {}, timeout_ms=120000)
        self.assertTrue(first_attempt.wait(30))
        self.proxy.drop_all()
        stopped = seen[0][1]
        await_true(lambda: stopped.stopped, message="the running task stopped in the agent's code")
        self.assertEqual("the session to the node ended", stopped.stop_reason)
        done = self.client.get(task.id, wait_ms=60000)
        self.assertEqual("SUCCEEDED", done.state, done.error)
        self.assertGreater(done.result["epoch"], seen[0][0])
        self.assertEqual(2, agent.connections)

    def test_a_refused_registration_is_final(self):
        agent = Agent("not a valid id!", [self.type], echo, target=self.proxy.address)
        agent.start()
        with self.assertRaises(CallError) as refused:
            agent.wait_registered(30)
        agent.stop()
        self.assertEqual((grpc.StatusCode.INVALID_ARGUMENT, "invalid-request"),
                         (refused.exception.status, refused.exception.code))
        self.assertEqual(["agent_id"], [f for f, _ in refused.exception.field_violations])
        self.assertEqual((0, 1), (agent.connections, self.proxy.connections))

    def test_a_takeover_of_its_id_is_final(self):
        first = self.start_agent([self.type], echo)
        second = Agent(first.agent_id, [self.type], echo, target=GRPC)
        self._agents.append(second)
        second.start()
        self.assertTrue(second.wait_registered(30))
        with self.assertRaises(CallError) as replaced:
            await_true(lambda: first._failure, message="the first agent giving up")
            first.wait_registered(0)
        self.assertEqual((grpc.StatusCode.ABORTED, "session-replaced"),
                         (replaced.exception.status, replaced.exception.code))
        self.assertEqual(1, first.connections)
        self.assertEqual({"echo": 3}, self.client.run(self.type, 3, deadline=30).result)


if __name__ == "__main__":
    unittest.main()
