"""A slow reader: a Python client reads a Stream very slowly while a Python agent streams many chunks. The node
holds a bounded number of events for it (grpc.stream-buffer-events), its memory stays bounded, it keeps serving
other calls, and the slow reader still gets every event once, in order."""

import os
import threading
import time
import unittest

from agentbus import TaskClient
from tests.support import GRPC, AgentCase, await_true, metrics, node_rss_bytes, unique

CHUNKS = int(os.environ.get("AGENTBUS_TEST_SLOW_READER_CHUNKS", "4000"))
CHUNK_BYTES = 4096
BUFFER_LIMIT = int(os.environ.get("AGENTBUS_TEST_STREAM_BUFFER_EVENTS", "256"))
MIB = 1024 * 1024


def firehose(task):
    text = "x" * (CHUNK_BYTES - 16)
    for i in range(CHUNKS):
        task.content(f"{i:>12} {text}\n")
    return {"chunks": CHUNKS}


class SlowReader(AgentCase):

    def test_a_slow_reader_costs_bounded_memory_and_misses_nothing(self):
        agent_type = unique("py-firehose")
        self.start_agent([agent_type], firehose)
        overflows = metrics().get("agentbus_grpc_stream_overflows_total", 0)
        rss_before = node_rss_bytes()
        samples = {"buffered": 0.0, "heap": 0.0, "rss": 0}
        stop_sampling = threading.Event()

        def sample():
            while not stop_sampling.wait(0.2):
                samples["buffered"] = max(samples["buffered"], metrics().get("agentbus_grpc_stream_buffered", 0))
                samples["heap"] = max(samples["heap"], metrics(area="heap").get("jvm_memory_used_bytes", 0))
                samples["rss"] = max(samples["rss"], node_rss_bytes() or 0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        with TaskClient(GRPC) as client, TaskClient(GRPC) as other:
            events, served = [], []
            stream = iter(client.stream(agent_type, {}, timeout_ms=600000, deadline=600))
            # very slowly at first: the agent streams everything while the reader takes a few events
            for event in stream:
                events.append(event)
                if len(events) >= 20:
                    break
                time.sleep(0.25)
            task_id = events[0].task_id
            agent_done = await_true(lambda: (lambda t: t if t.terminal else None)(other.get(task_id)),
                                    timeout=300, message="the agent streamed every chunk while the reader lagged")
            self.assertEqual("SUCCEEDED", agent_done.state)
            # the node keeps serving while the reader lags
            served.append(other.run("echo", {"while": "slow reader"}, deadline=30).state)
            lagging = metrics()
            for event in stream:
                events.append(event)
        stop_sampling.set()
        sampler.join()

        self.assertEqual(["SUCCEEDED"], served)
        self.assertEqual(list(range(1, len(events) + 1)), [e.seq for e in events], "every event once, in order")
        content = [e for e in events if e.type == "content"]
        self.assertEqual(CHUNKS, len(content))
        self.assertEqual([f"{i:>12}" for i in range(CHUNKS)], [c.data["text"][:12] for c in content])
        self.assertEqual("succeeded", events[-1].type)
        behind = lagging.get("agentbus_grpc_stream_overflows_total", 0) - overflows
        streamed_mib = CHUNKS * CHUNK_BYTES / MIB
        print(f"slow-reader: {CHUNKS} chunks ({streamed_mib:.0f} MiB) streamed while the reader lagged; "
              f"most events held for readers {samples['buffered']:.0f} (limit {BUFFER_LIMIT} per call); "
              f"buffer overflows {behind:.0f}; node heap peak {samples['heap'] / MIB:.0f} MiB; node RSS "
              f"{(rss_before or 0) / MIB:.0f} -> peak {samples['rss'] / MIB:.0f} MiB", flush=True)
        # the gateway held at most its per-call limit, and the reader had fallen behind it (so the bound mattered)
        self.assertLessEqual(samples["buffered"], BUFFER_LIMIT)
        self.assertGreater(behind, 0, "the reader never fell behind the buffer: the test did not test the bound")
        if rss_before:
            # bounded: growth well under what a node buffering the whole stream per reader would need
            self.assertLess(samples["rss"] - rss_before, 512 * MIB)


if __name__ == "__main__":
    unittest.main()
