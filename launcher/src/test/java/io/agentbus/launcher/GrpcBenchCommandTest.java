package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GrpcBenchCommandTest {

  @Test
  @DisplayName("a node that does not answer a first Run is not benchmarked: exit 2 with what went wrong")
  void refusesUnreachableTarget() {
    CommandRun run = CommandRun.of("bench", "grpc", "--grpc-address", "127.0.0.1:1", "--no-baseline");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(run.err()).contains("a first Run call to grpc://127.0.0.1:1/agentbus.v1.TaskService/Run did not"
        + " succeed (connection refused)", "'echo' agent");
    assertThat(run.out()).doesNotContain("calls/s");
  }

  @Test
  @DisplayName("levels outside 1 to 10000, a bad address, bad chunk sizes and nothing to measure are usage errors")
  void refusesBadOptions() {
    assertThat(CommandRun.of("bench", "grpc", "--concurrency", "16,0").err())
        .contains("--concurrency takes 1 to 10000 per level");
    assertThat(CommandRun.of("bench", "grpc", "--stream-concurrency", "20000").err())
        .contains("--stream-concurrency takes 1 to 10000 per level");
    assertThat(CommandRun.of("bench", "grpc", "--stream-chunks", "0").err())
        .contains("--stream-chunks takes 1 to 10000");
    assertThat(CommandRun.of("bench", "grpc", "--connections", "0").err()).contains("--connections takes 1 to 256");
    assertThat(CommandRun.of("bench", "grpc", "--no-run", "--no-stream").err())
        .contains("--no-run and --no-stream leave nothing to measure");
    CommandRun badAddress = CommandRun.of("bench", "grpc", "--grpc-address", "localhost");
    assertThat(badAddress.exitCode()).isEqualTo(ExitCodes.REQUEST_ERROR);
    assertThat(badAddress.err()).contains("'localhost' is not host:port");
  }

  @Test
  @DisplayName("--agent-type and --input set what Run submits, so any agent type (e.g. a Python agent) can be measured")
  void agentTypeHook() {
    CommandRun run = CommandRun.of("bench", "grpc", "--grpc-address", "127.0.0.1:1", "--agent-type", "py-echo",
        "--input", "{\"n\":1}", "--no-baseline");

    assertThat(run.err()).contains("with a 'py-echo' agent?");
    assertThat(CommandRun.of("bench", "grpc", "--input", "{nope").err()).contains("--input is not JSON");
  }
}
