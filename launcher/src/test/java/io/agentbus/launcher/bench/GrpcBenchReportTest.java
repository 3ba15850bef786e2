package io.agentbus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GrpcBenchReportTest {

  /** {@code scale}, 2 x scale, ..., 1000 x scale microseconds. */
  private static Histogram upToThousand(long scale) {
    Histogram h = new Histogram(3);
    for (int v = 1; v <= 1000; v++) {
      h.recordValue(v * scale);
    }
    return h;
  }

  private static LoadResult result(String method, int inFlight, long successes, double seconds, long latencyScale,
                                   TreeMap<String, Long> errors) {
    return new LoadResult("x", URI.create("grpc://127.0.0.1:9090/agentbus.v1.TaskService/" + method), inFlight,
        Duration.ofMillis((long) (seconds * 1000)), successes, errors, 0, 0, 0, successes, upToThousand(latencyScale));
  }

  @Test
  @DisplayName("the Run table shows each level's rate and percentiles next to the baseline's, with the ratios")
  void runTable() {
    TreeMap<String, Long> errors = new TreeMap<>();
    errors.put("RESOURCE_EXHAUSTED queue-full", 3L);
    errors.put("DEADLINE_EXCEEDED", 1L);
    List<LoadResult> node = List.of(result("Run", 16, 20_000, 2.0, 10, new TreeMap<>()),
        result("Run", 256, 30_000, 1.0, 20, errors));
    List<LoadResult> bare = List.of(result("Run", 16, 100_000, 2.0, 1, new TreeMap<>()),
        result("Run", 256, 120_000, 1.0, 2, new TreeMap<>()));

    assertThat(GrpcBenchReport.runTable(node, bare)).containsSubsequence(
        "in flight  agentbus/s      p50      p90      p99    p99.9  errors |      bare/s bare p99 |  ratio/s ratio p99",
        "       16      10,000     5.00     9.01     9.90     9.99       0 |      50,000     0.99 |   0.200x   10.003x",
        "      256      30,000    10.01    18.02    19.81    19.98       4 |     120,000     1.98 |   0.250x   10.004x",
        "  errors at 256 in flight: DEADLINE_EXCEEDED: 1; RESOURCE_EXHAUSTED queue-full: 3");
  }

  @Test
  @DisplayName("without a baseline the Run table leaves its columns empty")
  void runTableWithoutBaseline() {
    assertThat(GrpcBenchReport.runTable(List.of(result("Run", 16, 1000, 1.0, 1, new TreeMap<>())), List.of()))
        .contains("       16       1,000     0.50     0.90     0.99     1.00       0 |           -        - |"
            + "        -         -");
  }

  @Test
  @DisplayName("the Stream table shows streams/s, chunks/s, events/s, stream and first-chunk latency, and the ratio")
  void streamTable() {
    StreamResult node = new StreamResult(result("Stream", 16, 100, 2.0, 100, new TreeMap<>()), 26_000, 25_600,
        upToThousand(10));
    StreamResult bare = new StreamResult(result("Stream", 16, 400, 2.0, 10, new TreeMap<>()), 104_000, 102_400,
        upToThousand(1));

    assertThat(GrpcBenchReport.streamTable(List.of(node), List.of(bare))).contains(
        "       16        50     12,800     13,000      50.02      99.01        5.00        9.90       0 |        51,200"
            + " |   0.250x");
  }

  @Test
  @DisplayName("the target line says met only for >= 25,000 Run/s with p99 under 25 ms and no errors at 256 in flight")
  void target() {
    TreeMap<String, Long> oneError = new TreeMap<>();
    oneError.put("UNAVAILABLE", 1L);

    assertThat(GrpcBenchReport.targetLine(List.of(result("Run", 256, 26_000, 1.0, 20, new TreeMap<>()))))
        .isEqualTo("target at 256 in flight (>= 25,000 Run/s, p99 < 25 ms): met (26,000 Run/s, p99 19.81 ms, 0 errors)");
    assertThat(GrpcBenchReport.targetLine(List.of(result("Run", 256, 26_000, 1.0, 20, oneError))))
        .contains("NOT met (26,000 Run/s, p99 19.81 ms, 1 errors)");
    assertThat(GrpcBenchReport.targetLine(List.of(result("Run", 256, 24_000, 1.0, 20, new TreeMap<>()))))
        .contains("NOT met (24,000 Run/s");
    assertThat(GrpcBenchReport.targetLine(List.of(result("Run", 256, 30_000, 1.0, 30, new TreeMap<>()))))
        .contains("NOT met (30,000 Run/s, p99 29.71 ms");
    assertThat(GrpcBenchReport.targetLine(List.of(result("Run", 16, 30_000, 1.0, 1, new TreeMap<>()))))
        .endsWith("not measured (no run at 256 in flight)");
  }

  @Test
  @DisplayName("an error is named by its gRPC status and the agentbus reason of its details, in trailers or headers")
  void statusKind() {
    com.google.rpc.Status details = com.google.rpc.Status.newBuilder().setCode(8)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("queue-full").setDomain("agentbus.io").build())).build();
    String bin = Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray());

    assertThat(GrpcLoadWorker.statusKind(GrpcStatus.RESOURCE_EXHAUSTED, MultiMap.caseInsensitiveMultiMap(),
        MultiMap.caseInsensitiveMultiMap().add("grpc-status-details-bin", bin)))
        .isEqualTo("RESOURCE_EXHAUSTED queue-full");
    assertThat(GrpcLoadWorker.statusKind(GrpcStatus.RESOURCE_EXHAUSTED,
        MultiMap.caseInsensitiveMultiMap().add("grpc-status-details-bin", bin), MultiMap.caseInsensitiveMultiMap()))
        .isEqualTo("RESOURCE_EXHAUSTED queue-full");
    assertThat(GrpcLoadWorker.statusKind(GrpcStatus.UNAVAILABLE, MultiMap.caseInsensitiveMultiMap(), null))
        .isEqualTo("UNAVAILABLE");
    assertThat(GrpcLoadWorker.statusKind(GrpcStatus.INTERNAL, MultiMap.caseInsensitiveMultiMap(),
        MultiMap.caseInsensitiveMultiMap().add("grpc-status-details-bin", "!!!")))
        .isEqualTo("INTERNAL undecodable details");
  }

  @Test
  @DisplayName("a call the server reset is named by the reset, any other failure as the HTTP bench names it")
  void failureKind() {
    assertThat(GrpcLoadWorker.errorKind(new GrpcErrorException(GrpcError.CANCELLED, GrpcStatus.CANCELLED)))
        .isEqualTo("reset CANCELLED");
    assertThat(GrpcLoadWorker.errorKind(new GrpcErrorException(GrpcError.INTERNAL, GrpcStatus.UNKNOWN)))
        .isEqualTo("reset INTERNAL (UNKNOWN)");
    assertThat(GrpcLoadWorker.errorKind(new java.net.ConnectException("refused"))).isEqualTo("connection refused");
  }
}
