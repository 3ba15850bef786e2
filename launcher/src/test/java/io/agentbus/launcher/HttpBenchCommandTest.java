package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.launcher.bench.BareHandlerServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpBenchCommandTest {

  @Test
  @DisplayName("bench http measures the target, then the bare baseline, and prints both with the ratios")
  void benchesAndCompares() throws Exception {
    try (BareHandlerServer target = BareHandlerServer.start(1)) {
      CommandRun run = CommandRun.of("bench", "http", "--url", target.uri("").toString(), "--concurrency", "4",
          "--warmup", "0", "--duration", "1.5s", "--client-loops", "1", "--baseline-loops", "1");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("agentbus: POST " + target.uri("/v1/tasks?wait=30000ms") + " with 4 in flight",
          "baseline: a bare Vert.x handler with 1 event loops", "throughput req/s", "ratio agentbus/baseline: throughput")
          .containsPattern("requests +\\d+ ok, 0 errors").containsPattern("\\[ +\\d+s] completed +\\d+");
    }
  }

  @Test
  @DisplayName("a target that does not answer a first request well is not benchmarked: exit 2")
  void refusesUnreachableTarget() {
    CommandRun run = CommandRun.of("bench", "http", "--url", "http://127.0.0.1:1", "--duration", "1s", "--no-baseline");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(run.err()).contains("a first request to http://127.0.0.1:1/v1/tasks?wait=30000ms did not succeed",
        "connection refused");
    assertThat(run.out()).doesNotContain("throughput");
  }
}
