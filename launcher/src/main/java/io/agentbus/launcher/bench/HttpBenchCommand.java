package io.agentbus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.launcher.DurationConverter;
import io.agentbus.launcher.ExitCodes;
import io.agentbus.launcher.JsonArgument;
import io.agentbus.launcher.ServerUrlOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmarks the synchronous submit path over HTTP, then a bare Vert.x handler, and compares them. */
@Command(name = "http", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark the synchronous submit path, POST /v1/tasks?wait=..., next to a bare Vert.x baseline.",
        "Keeps --concurrency requests in flight (a closed loop); a success is a 200 whose task is SUCCEEDED.",
        "Then, unless --no-baseline, does the same against a bare Vert.x HTTP handler started in this process",
        "and prints both side by side with the ratios of throughput and latency.",
        "Exit codes: 0 no errors, 1 some requests failed, 2 the node could not be benchmarked."})
public final class HttpBenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ServerUrlOption server;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
      description = "Requests kept in flight (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Measured time (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = {"Unmeasured time before it (default ${DEFAULT-VALUE}). A freshly started node's JIT needs",
          "about 90 s of load to settle on 2 cores; warm it up first or pass a longer warmup."})
  Duration warmup;

  @Option(names = "--max-requests", paramLabel = "N", defaultValue = "10000000",
      description = "Stop after issuing this many requests per run, warmup included (default ${DEFAULT-VALUE})")
  long maxRequests;

  @Option(names = "--type", paramLabel = "AGENT_TYPE", defaultValue = "echo", description = "Agent type (default ${DEFAULT-VALUE})")
  String agentType;

  @Option(names = "--input", paramLabel = "JSON", defaultValue = "{}", description = "Task input (default ${DEFAULT-VALUE})")
  String input;

  @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long the node may hold each request for its task (default ${DEFAULT-VALUE})")
  Duration wait;

  @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "A request unanswered this long is a timeout error (default: --wait plus 5s)")
  Duration requestTimeout;

  @Option(names = "--client-loops", paramLabel = "N",
      description = "Event loops the load generator uses (default: the number of cores)")
  Integer clientLoops;

  @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also measure a bare Vert.x handler in this process and compare (default: yes)")
  boolean baseline;

  @Option(names = "--baseline-loops", paramLabel = "N",
      description = "Event loops of the bare handler (default: the node's default, two per core)")
  Integer baselineLoops;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int cores = Runtime.getRuntime().availableProcessors();
    int loops = clientLoops != null ? clientLoops : cores;
    LoadPlan plan = plan();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    try {
      LoadResult probe = new LoadLoop(vertx, plan.probe(), ResponseCheck.SUCCEEDED_TASK, 1).run("probe", p -> { });
      if (probe.successes() != 1) {
        err.println("agentbus: a first request to " + plan.target() + " did not succeed (" + probe.errors()
            + "); is a node running there with a '" + agentType + "' agent?");
        err.flush();
        return ExitCodes.REQUEST_ERROR;
      }
      LoadResult node = measure(vertx, plan, "agentbus", loops, out);
      if (baseline) {
        int serverLoops = baselineLoops != null ? baselineLoops : 2 * cores;
        try (BareHandlerServer bare = BareHandlerServer.start(serverLoops)) {
          String pathAndQuery = plan.target().getRawPath() + "?" + plan.target().getRawQuery();
          out.printf("baseline: a bare Vert.x handler with %d event loops on %s%n", serverLoops, bare.uri(""));
          LoadResult base = measure(vertx, plan.withTarget(bare.uri(pathAndQuery)), "baseline", loops, out);
          out.println();
          Report.comparison(node, base).forEach(out::println);
        }
      }
      out.flush();
      return node.errorCount() == 0 ? ExitCodes.OK : ExitCodes.TASK_UNSUCCESSFUL;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private LoadResult measure(Vertx vertx, LoadPlan plan, String label, int loops, PrintWriter out)
      throws InterruptedException {
    out.printf(Locale.ROOT, "%s: POST %s with %d in flight: warmup %.1f s, then %.1f s measured (at most %d requests,"
            + " %d client event loops)%n", label, plan.target(), plan.concurrency(), plan.warmup().toMillis() / 1000.0,
        plan.duration().toMillis() / 1000.0, plan.maxRequests(), loops);
    out.flush();
    LoadResult result = new LoadLoop(vertx, plan, ResponseCheck.SUCCEEDED_TASK, loops).run(label, p -> {
      out.println(Report.progressLine(p));
      out.flush();
    });
    Report.summary(result).forEach(out::println);
    out.flush();
    return result;
  }

  private LoadPlan plan() {
    JsonNode body = Json.object().put("agent_type", agentType)
        .set("input", JsonArgument.parse(spec.commandLine(), "--input", input));
    URI target = URI.create(server.baseUri() + "/v1/tasks?wait=" + wait.toMillis() + "ms");
    Duration timeout = requestTimeout != null ? requestTimeout : wait.plusSeconds(5);
    try {
      return new LoadPlan(target, Buffer.buffer(Json.toBytes(body)), concurrency, warmup, duration, maxRequests, timeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
