package io.agentbus.launcher.bench;

import io.agentbus.api.Json;
import io.agentbus.config.HostPort;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.launcher.DurationConverter;
import io.agentbus.launcher.ExitCodes;
import io.agentbus.launcher.JsonArgument;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks TaskService.Run and TaskService.Stream over gRPC through a node's full path, then the same calls against
 * a bare Vert.x gRPC server in this process, and compares them.
 */
@Command(name = "grpc", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark the gRPC task API through the full path (Kafka-durable accept, dispatch, agent, "
        + "result), next to a bare Vert.x gRPC echo measured in the same run with the same client and concurrency.",
        "",
        "Run: keeps each --concurrency of Run calls in flight (a closed loop) against --agent-type; a success is an "
            + "OK call answering a SUCCEEDED task. Stream: keeps each --stream-concurrency of Stream calls in flight, "
            + "each submitting a --stream-agent-type task that streams --stream-chunks content chunks; a success is "
            + "an OK stream ending SUCCEEDED with every chunk. Errors are counted by gRPC status and agentbus reason.",
        "",
        "Start the node with `launcher/agentbus up --profile bench` (echo and streamer agents with room to spare). "
            + "For figures worth quoting warm the node first: --warmup 90s --duration 30s (the JIT of a fresh node "
            + "needs about 90 s of load on 2 cores). A remote agent (e.g. Python, connected over AgentSession) is "
            + "benchmarked with --agent-type <its type> --no-stream.",
        "",
        "Exit codes: 0 no errors, 1 some calls failed, 2 the node could not be benchmarked.",
        ""})
public final class GrpcBenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--grpc-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9090",
      converter = HostPortConverter.class, description = "The node's gRPC address (default ${DEFAULT-VALUE})")
  HostPort address;

  @Option(names = "--concurrency", paramLabel = "N,N", split = ",", defaultValue = "16,256,1000",
      description = "Run calls kept in flight, one measurement each (default ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time of each level (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Unmeasured load before the first level (default ${DEFAULT-VALUE}, for quick runs). A fresh node's"
          + " JIT needs about 90 s of load on 2 cores: use --warmup 90s for real measurements.")
  Duration warmup;

  @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
      description = "Unmeasured load before each later level, at its concurrency (default ${DEFAULT-VALUE})")
  Duration settle;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "4",
      description = "HTTP/2 connections the client opens (spread over its event loops, at least one each), so one"
          + " connection's flow control is not the bottleneck (default ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--client-loops", paramLabel = "N",
      description = "Event loops of the load generator (default: the number of cores)")
  Integer clientLoops;

  @Option(names = "--agent-type", paramLabel = "TYPE", defaultValue = "echo",
      description = "Agent type the Run calls submit to (default ${DEFAULT-VALUE}); any registered type works, e.g."
          + " a Python agent connected over AgentSession")
  String agentType;

  @Option(names = "--input", paramLabel = "JSON", defaultValue = "{}",
      description = "Task input of the Run calls (default ${DEFAULT-VALUE})")
  String input;

  @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "grpc-timeout of each call; 0 sends none (default ${DEFAULT-VALUE})")
  Duration deadline;

  @Option(names = "--max-requests", paramLabel = "N", defaultValue = "10000000",
      description = "Stop a level after this many calls, its warmup included (default ${DEFAULT-VALUE})")
  long maxRequests;

  @Option(names = "--run", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Measure Run calls (default: yes)")
  boolean run;

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Measure Stream calls (default: yes)")
  boolean stream;

  @Option(names = "--stream-concurrency", paramLabel = "N,N", split = ",", defaultValue = "16,64",
      description = "Stream calls kept in flight, one measurement each (default ${DEFAULT-VALUE})")
  List<Integer> streamConcurrency;

  @Option(names = "--stream-agent-type", paramLabel = "TYPE", defaultValue = "streamer",
      description = "Agent type of the streamed tasks; it must take the streamer's input (default ${DEFAULT-VALUE})")
  String streamAgentType;

  @Option(names = "--stream-chunks", paramLabel = "N", defaultValue = "256",
      description = "Content chunks each streamed task sends (1 to 10000, default ${DEFAULT-VALUE})")
  int streamChunks;

  @Option(names = "--stream-chunk-bytes", paramLabel = "N", defaultValue = "32",
      description = "Characters per chunk (default ${DEFAULT-VALUE})")
  int streamChunkBytes;

  @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also measure a bare Vert.x gRPC server in this process and compare (default: yes)")
  boolean baseline;

  @Option(names = "--baseline-loops", paramLabel = "N",
      description = "Event loops of the bare server (default: the node's default, two per core)")
  Integer baselineLoops;

  @Option(names = "--baseline-warmup", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Unmeasured load before the bare server's first level (default ${DEFAULT-VALUE})")
  Duration baselineWarmup;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int cores = Runtime.getRuntime().availableProcessors();
    int loops = clientLoops != null ? clientLoops : cores;
    validate(loops);
    GrpcPlan runPlan = plan(GrpcPlan.Method.RUN, runRequest(), concurrency.get(0), 0);
    GrpcPlan streamPlan = plan(GrpcPlan.Method.STREAM, streamRequest(), streamConcurrency.get(0), streamChunks);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    try {
      for (GrpcPlan p : selected(runPlan, streamPlan)) {
        String problem = probe(vertx, p);
        if (problem != null) {
          err.println("agentbus: a first " + p.method().rpc + " call to " + p.target() + " did not succeed ("
              + problem + "); is a node running there (launcher/agentbus up --profile bench) with a '"
              + p.request().getAgentType() + "' agent?");
          err.flush();
          return ExitCodes.REQUEST_ERROR;
        }
      }
      Results node = measureAll(vertx, runPlan, streamPlan, warmup, "agentbus", loops, out);
      Results bare = new Results(List.of(), List.of());
      if (baseline) {
        int serverLoops = baselineLoops != null ? baselineLoops : 2 * cores;
        try (BareGrpcServer server = BareGrpcServer.start(serverLoops)) {
          out.printf("baseline: a bare Vert.x gRPC server with %d event loops on %s%n", serverLoops, server.address());
          bare = measureAll(vertx, runPlan.withServer(server.address()), streamPlan.withServer(server.address()),
              baselineWarmup, "baseline", loops, out);
        }
      }
      out.println();
      if (run) {
        GrpcBenchReport.runTable(node.runs, bare.runs).forEach(out::println);
        out.println(GrpcBenchReport.targetLine(node.runs));
      }
      if (stream) {
        if (run) {
          out.println();
        }
        GrpcBenchReport.streamTable(node.streams, bare.streams).forEach(out::println);
      }
      out.flush();
      long errors = node.runs.stream().mapToLong(LoadResult::errorCount).sum()
          + node.streams.stream().mapToLong(s -> s.streams().errorCount()).sum();
      return errors == 0 ? ExitCodes.OK : ExitCodes.TASK_UNSUCCESSFUL;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private record Results(List<LoadResult> runs, List<StreamResult> streams) {
  }

  private List<GrpcPlan> selected(GrpcPlan runPlan, GrpcPlan streamPlan) {
    List<GrpcPlan> plans = new ArrayList<>();
    if (run) {
      plans.add(runPlan);
    }
    if (stream) {
      plans.add(streamPlan);
    }
    return plans;
  }

  // the first level of each kind gets the warmup, later ones the settle time
  private Results measureAll(Vertx vertx, GrpcPlan runPlan, GrpcPlan streamPlan, Duration firstWarmup, String label,
                             int loops, PrintWriter out) throws InterruptedException {
    List<LoadResult> runs = new ArrayList<>();
    List<StreamResult> streams = new ArrayList<>();
    if (run) {
      for (int i = 0; i < concurrency.size(); i++) {
        GrpcPlan p = runPlan.at(concurrency.get(i), i == 0 ? firstWarmup : settle);
        runs.add(measure(vertx, p, label, loops, out).streams());
      }
    }
    if (stream) {
      for (int i = 0; i < streamConcurrency.size(); i++) {
        GrpcPlan p = streamPlan.at(streamConcurrency.get(i), i == 0 && !run ? firstWarmup : settle);
        streams.add(measure(vertx, p, label, loops, out));
      }
    }
    return new Results(runs, streams);
  }

  private StreamResult measure(Vertx vertx, GrpcPlan plan, String label, int loops, PrintWriter out)
      throws InterruptedException {
    out.printf(Locale.ROOT, "%s: %s with %d in flight: warmup %.1f s, then %.1f s measured (at most %d calls,"
            + " %d client event loops, %d HTTP/2 connections)%n", label, plan.target(), plan.concurrency(),
        plan.warmup().toMillis() / 1000.0, plan.duration().toMillis() / 1000.0, plan.maxRequests(), loops,
        Math.max(plan.connections(), Math.min(loops, plan.concurrency())));
    out.flush();
    StreamResult result = run(vertx, plan, loops, p -> {
      out.println(Report.progressLine(p));
      out.flush();
    }, label);
    Report.summary(result.streams()).forEach(out::println);
    if (plan.method() == GrpcPlan.Method.STREAM) {
      LatencySummary first = result.firstChunkLatency();
      out.printf(Locale.ROOT, "  streamed    %s chunks/s, %s events/s; first chunk p50 %s  p99 %s ms%n",
          GrpcBenchReport.rate(result.chunksPerSecond()), GrpcBenchReport.rate(result.eventsPerSecond()),
          Report.millis(first.p50()), Report.millis(first.p99()));
    }
    out.flush();
    return result;
  }

  /** Runs one plan to its end; the connections are dealt over the workers, at least one each. */
  static StreamResult run(Vertx vertx, GrpcPlan plan, int loops, java.util.function.Consumer<Progress> progress,
                          String label) throws InterruptedException {
    StreamCounts counts = new StreamCounts();
    int workers = Math.min(loops, plan.concurrency());
    java.util.concurrent.atomic.AtomicInteger index = new java.util.concurrent.atomic.AtomicInteger();
    LoadResult result = LoadLoop.of(vertx, plan, (tally, slots) -> new GrpcLoadWorker(plan, tally, slots,
        share(plan.connections(), workers, index.getAndIncrement()), counts), loops).run(label, progress);
    return new StreamResult(result, counts.events(), counts.chunks(), counts.firstChunkLatencies());
  }

  // one call; null when it succeeded, else its error kind
  private static String probe(Vertx vertx, GrpcPlan plan) throws InterruptedException {
    LoadResult r = run(vertx, plan.probe(), 1, p -> { }, "probe").streams();
    if (r.successes() == 1) {
      return null;
    }
    return r.errors().isEmpty() ? "no answer" : String.join(", ", r.errors().keySet());
  }

  private static int share(int total, int parts, int index) {
    return Math.max(1, total / parts + (index < total % parts ? 1 : 0));
  }

  private void validate(int loops) {
    List<String> problems = new ArrayList<>();
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > GrpcPlan.MAX_CONCURRENCY)) {
      problems.add("--concurrency takes 1 to " + GrpcPlan.MAX_CONCURRENCY + " per level");
    }
    if (streamConcurrency.isEmpty()
        || streamConcurrency.stream().anyMatch(c -> c < 1 || c > GrpcPlan.MAX_CONCURRENCY)) {
      problems.add("--stream-concurrency takes 1 to " + GrpcPlan.MAX_CONCURRENCY + " per level");
    }
    if (streamChunks < 1 || streamChunks > 10_000 || streamChunkBytes < 1 || streamChunkBytes > 65_536) {
      problems.add("--stream-chunks takes 1 to 10000 and --stream-chunk-bytes 1 to 65536");
    }
    if (connections < 1 || connections > GrpcPlan.MAX_CONNECTIONS || loops < 1) {
      problems.add("--connections takes 1 to " + GrpcPlan.MAX_CONNECTIONS + " and --client-loops at least 1");
    }
    if (duration.isZero() || maxRequests < 1) {
      problems.add("--duration and --max-requests must be positive");
    }
    if (!run && !stream) {
      problems.add("--no-run and --no-stream leave nothing to measure");
    }
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  private GrpcPlan plan(GrpcPlan.Method method, SubmitRequest request, int inFlight, int expectedChunks) {
    return new GrpcPlan(address, method, request, inFlight, warmup, duration, maxRequests, deadline, connections,
        expectedChunks);
  }

  SubmitRequest runRequest() {
    return SubmitRequest.newBuilder().setAgentType(agentType)
        .setInputJson(Json.toString(JsonArgument.parse(spec.commandLine(), "--input", input))).build();
  }

  SubmitRequest streamRequest() {
    return SubmitRequest.newBuilder().setAgentType(streamAgentType).setInputJson(Json.toString(Json.object()
        .put("chunks", streamChunks).put("chunk_bytes", streamChunkBytes))).build();
  }

  /** {@code host:port} as an option value. */
  static final class HostPortConverter implements CommandLine.ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return HostPort.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
