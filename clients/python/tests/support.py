"""What the end-to-end tests share: the node under test (from the environment), HTTP calls, metrics, bounded waits,
agents that stop with the test, and a TCP proxy that can cut or stall an agent's connection.

The node is given by AGENTBUS_GRPC_TARGET (host:port) and AGENTBUS_HTTP_URL (http://host:port); AGENTBUS_NODE_PID,
when set, lets a test read the node's resident memory. The JUnit system test io.agentbus.system.PythonSdkSystemTest
starts a node and runs these modules with those set; without them the tests fail (they never skip)."""

from __future__ import annotations

import json
import logging
import os
import re
import selectors
import socket
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid
from typing import Callable, Dict, List, Optional, Tuple

from agentbus import Agent

logging.basicConfig(level=os.environ.get("AGENTBUS_TEST_LOG", "WARNING"),
                    format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run these tests against a node (see tests/support.py)")
    return value


GRPC = _required("AGENTBUS_GRPC_TARGET")
HTTP = _required("AGENTBUS_HTTP_URL").rstrip("/")
NODE_PID = os.environ.get("AGENTBUS_NODE_PID")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def await_true(condition: Callable[[], object], timeout: float = 20.0, message: str = "condition") -> object:
    """Polls ``condition`` until it is truthy (returned) or ``timeout`` passes (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not true within {timeout} s")
        time.sleep(0.02)


def http(method: str, path: str, body=None, timeout: float = 30.0):
    """(status, parsed JSON body) of an HTTP call to the node."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(HTTP + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data is not None else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        return e.code, json.loads(text) if text else None


def series() -> List[Tuple[str, Dict[str, str], float]]:
    """The node's Prometheus metrics as (name, labels, value)."""
    with urllib.request.urlopen(HTTP + "/metrics", timeout=30) as response:
        text = response.read().decode()
    out = []
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)", line)
        if m and not line.startswith("#"):
            labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"', m.group(2) or ""))
            out.append((m.group(1), labels, float(m.group(3))))
    return out


def metrics(**labels: str) -> Dict[str, float]:
    """The node's metrics, series with the same name (and these labels) summed."""
    sums: Dict[str, float] = {}
    for name, series_labels, value in series():
        if all(series_labels.get(k) == v for k, v in labels.items()):
            sums[name] = sums.get(name, 0.0) + value
    return sums


def node_rss_bytes() -> Optional[int]:
    if not NODE_PID:
        return None
    with open(f"/proc/{NODE_PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def registered_agent(agent_id: str) -> Optional[dict]:
    status, body = http("GET", "/v1/agents")
    return next((a for a in body["agents"] if a["id"] == agent_id), None) if status == 200 else None


class AgentCase(unittest.TestCase):
    """A test case whose agents are stopped when the test ends."""

    def setUp(self) -> None:
        self._agents = []

    def tearDown(self) -> None:
        for agent in self._agents:
            agent.stop(timeout=5)

    def start_agent(self, types, handler, *, capacity: int = 1, target: str = GRPC, **options) -> Agent:
        agent = Agent(unique("py-agent"), types, handler, target=target, capacity=capacity, **options)
        self._agents.append(agent)
        agent.start()
        self.assertTrue(agent.wait_registered(30), "the agent did not register within 30 s")
        return agent


class TcpProxy:
    """A loopback TCP proxy in front of the node's gRPC port, so a test can cut an agent's connection
    (:meth:`drop_all`) or stall what the agent sends (:meth:`stall_upstream`) while the node's answers still pass."""

    def __init__(self, target: str):
        host, port = target.rsplit(":", 1)
        self._target = (host, int(port))
        self._server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self._server.getsockname()[1]}"
        self._lock = threading.Lock()
        self._pairs = []
        self._closed = False
        self.connections = 0
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._target)
            except OSError:
                client.close()
                continue
            pair = {"client": client, "server": upstream, "stalled": threading.Event(), "closed": False}
            with self._lock:
                self._pairs.append(pair)
                self.connections += 1
            threading.Thread(target=self._pump, args=(pair,), name="proxy-pump", daemon=True).start()

    def _pump(self, pair) -> None:
        sel = selectors.DefaultSelector()
        sel.register(pair["client"], selectors.EVENT_READ, pair["server"])
        sel.register(pair["server"], selectors.EVENT_READ, pair["client"])
        try:
            while not pair["closed"]:
                for key, _ in sel.select(timeout=0.05):
                    if key.fileobj is pair["client"] and pair["stalled"].is_set():
                        continue  # hold what the agent sends: the node hears nothing from it
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
                if pair["stalled"].is_set():
                    time.sleep(0.01)
        except OSError:
            return
        finally:
            self._close(pair)

    @staticmethod
    def _close(pair) -> None:
        pair["closed"] = True
        for s in (pair["client"], pair["server"]):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def drop_all(self) -> None:
        """Closes every connection through the proxy (both ends), as a network failure would."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            self._close(pair)

    def stall_upstream(self) -> None:
        """From now on the open connections pass nothing from the agent to the node (new connections pass)."""
        with self._lock:
            for pair in self._pairs:
                pair["stalled"].set()

    def close(self) -> None:
        self._closed = True
        self._server.close()
        self.drop_all()
