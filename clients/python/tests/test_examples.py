"""The examples work as documented: the README's ten-line agent serves a task submitted over HTTP; the commander
example serves the task client example (stream, run, cancel, an error)."""

import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from tests.support import GRPC, await_true, http, registered_agent, unique

PYTHON_DIR = Path(__file__).resolve().parents[1]
README = PYTHON_DIR.parents[1] / "README.md"


def readme_agent() -> str:
    text = README.read_text()
    section = text[text.index("## Write an agent in Python in ten lines"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


class Examples(unittest.TestCase):

    def setUp(self):
        self.processes = []

    def tearDown(self):
        for p, log in self.processes:
            p.terminate()
            p.wait(10)
            log.seek(0)
            print(log.read(), flush=True)
            log.close()

    def start(self, *args) -> subprocess.Popen:
        """Starts a Python process with the SDK on its path, its output kept in a file printed at the end."""
        env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR), AGENTBUS_GRPC_TARGET=GRPC)
        log = tempfile.TemporaryFile("w+")
        p = subprocess.Popen([sys.executable, *args], env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        self.processes.append((p, log))
        return p

    def test_the_readme_agent_in_ten_lines(self):
        code = readme_agent()
        lines = [line for line in code.splitlines() if line.strip()]
        self.assertLessEqual(len(lines), 10, code)
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(code)
        agent = self.start(f.name)
        await_true(lambda: registered_agent("shouter-1") or agent.poll() is not None, timeout=30,
                   message="the README agent registering")
        self.assertIsNone(agent.poll(), "the README agent exited")
        status, task = http("POST", "/v1/tasks?wait=20", {"agent_type": "shout", "input": {"text": "hello agents"}})
        self.assertEqual(200, status, task)
        self.assertEqual({"shouted": "HELLO AGENTS", "words": 2}, task["result"])
        os.unlink(f.name)

    def test_the_commander_serves_the_task_client(self):
        agent_id = unique("commander")
        agent_type = unique("commander")
        commander = self.start(str(PYTHON_DIR / "examples/commander.py"), "--id", agent_id, "--type", agent_type)
        await_true(lambda: registered_agent(agent_id) or commander.poll() is not None, timeout=30,
                   message="the commander registering")
        self.assertIsNone(commander.poll())
        client = subprocess.run([sys.executable, str(PYTHON_DIR / "examples/task_client.py"), "--target", GRPC,
                                 "--type", agent_type], capture_output=True, text=True, timeout=120)
        print(client.stdout, client.stderr, flush=True)
        self.assertEqual(0, client.returncode, client.stderr)
        out = client.stdout
        self.assertIn("tool_call: {'expression': '2 * 3'}", out)
        self.assertIn("tool_result: {'value': 6.0}", out)
        self.assertIn("] succeeded", out)
        self.assertRegex(out, r"SUCCEEDED: total 210; To estimate a city break you need about 210 in all")
        self.assertRegex(out, r"CANCELLED: changed my mind")
        self.assertIn("FAILED_PRECONDITION unknown-agent-type", out)


if __name__ == "__main__":
    unittest.main()
