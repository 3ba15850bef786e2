package io.agentbus.toolexecutor;

import io.agentbus.api.ToolDescriptor;
import io.agentbus.api.ToolRetryPolicy;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The tools of one executor, by name. Registration checks the descriptor, compiles its schemas once on a worker
 * thread, gives the tool its bulkhead and circuit breaker, and rejects a name that is already taken; lookups are
 * cheap and thread-safe.
 */
final class ToolRegistry {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** The node's defaults for what a tool does not declare, and its breaker settings. */
  record Defaults(long timeoutMs, int maxConcurrency, int bulkheadQueue, int breakerMaxFailures, long breakerResetMs) {
  }

  private final Vertx vertx;
  private final Defaults defaults;
  private final ToolMetrics metrics;
  private final ConcurrentSkipListMap<String, RegisteredTool> tools = new ConcurrentSkipListMap<>();
  private Future<SchemaCompiler> compiler;

  ToolRegistry(Vertx vertx, Defaults defaults, ToolMetrics metrics) {
    this.vertx = vertx;
    this.defaults = defaults;
    this.metrics = metrics;
  }

  /** Registers each tool; fails if any of them is rejected (the others stay registered). */
  Future<Void> registerAll(List<? extends Tool> all) {
    List<Future<Void>> registrations = new ArrayList<>();
    all.forEach(tool -> registrations.add(register(tool)));
    return Future.all(registrations).mapEmpty();
  }

  /** Fails with IllegalArgumentException for a bad descriptor, an invalid schema or a duplicate name. */
  Future<Void> register(Tool tool) {
    ToolDescriptor declared = tool.descriptor();
    String problem = descriptorProblem(declared);
    if (problem != null) {
      return Future.failedFuture(new IllegalArgumentException(problem));
    }
    if (tools.containsKey(declared.name())) {
      return Future.failedFuture(duplicate(declared.name()));
    }
    return compiler()
        .compose(schemas -> vertx.executeBlocking(() -> compile(schemas, tool, declared)))
        .map(this::guarded)
        .compose(compiled -> {
          if (tools.putIfAbsent(compiled.name(), compiled) != null) {
            compiled.breaker().close();
            return Future.failedFuture(duplicate(compiled.name()));
          }
          metrics.watch(compiled);
          return Future.<Void>succeededFuture();
        });
  }

  /** The tool with this name, or null. */
  RegisteredTool find(String name) {
    return name == null ? null : tools.get(name);
  }

  /** Every tool's descriptor with its circuit state, by name. */
  List<ToolDescriptor> descriptors() {
    return tools.values().stream().map(RegisteredTool::describe).toList();
  }

  /** Closes every tool's circuit breaker (its timers). */
  void close() {
    tools.values().forEach(tool -> tool.breaker().close());
  }

  private synchronized Future<SchemaCompiler> compiler() {
    if (compiler == null) {
      compiler = vertx.executeBlocking(() -> new SchemaCompiler(vertx));
    }
    return compiler;
  }

  // breakers and bulkheads are made on the registering context: their timers then fire there
  private RegisteredTool guarded(Compiled c) {
    ToolDescriptor d = c.descriptor();
    CircuitBreaker breaker = CircuitBreaker.create("tool-" + d.name(), vertx, new CircuitBreakerOptions()
            .setMaxFailures(defaults.breakerMaxFailures())
            .setResetTimeout(defaults.breakerResetMs())
            .setTimeout(-1)
            .setNotificationAddress(null))
        .failurePolicy(ToolCallRunner::countsAgainstBreaker);
    Bulkhead bulkhead = new Bulkhead(vertx, d.name(), d.maxConcurrency(), defaults.bulkheadQueue());
    return new RegisteredTool(c.tool(), d, c.arguments(), c.result(), bulkhead, breaker);
  }

  private record Compiled(Tool tool, ToolDescriptor descriptor, Validator arguments, Validator result) {
  }

  private Compiled compile(SchemaCompiler schemas, Tool tool, ToolDescriptor declared) {
    String name = declared.name();
    Validator arguments = schemas.compile("arguments schema of tool " + name, declared.argumentsSchema());
    Validator result = declared.resultSchema() == null
        ? null
        : schemas.compile("result schema of tool " + name, declared.resultSchema());
    long timeoutMs = declared.timeoutMs() > 0 ? declared.timeoutMs() : defaults.timeoutMs();
    int maxConcurrency = declared.maxConcurrency() > 0 ? declared.maxConcurrency() : defaults.maxConcurrency();
    ToolDescriptor resolved = new ToolDescriptor(name, declared.description(), declared.argumentsSchema(),
        declared.resultSchema(), timeoutMs, declared.idempotent(), maxConcurrency, declared.retry(), null);
    return new Compiled(tool, resolved, arguments, result);
  }

  private static String descriptorProblem(ToolDescriptor d) {
    if (d == null) {
      return "a tool must have a descriptor";
    }
    if (d.name() == null || !NAME.matcher(d.name()).matches()) {
      return "tool name '" + d.name() + "' must match " + NAME.pattern();
    }
    if (d.description() == null || d.description().isBlank()) {
      return "tool " + d.name() + " must have a description";
    }
    if (d.argumentsSchema() == null) {
      return "tool " + d.name() + " must declare an arguments schema";
    }
    if (d.maxConcurrency() < 0) {
      return "tool " + d.name() + " declares a negative max concurrency";
    }
    ToolRetryPolicy retry = d.retry();
    if (retry != null) {
      if (!d.idempotent() && retry.maxAttempts() > 1) {
        return "tool " + d.name() + " is not idempotent, so it must not declare retries";
      }
      if (retry.maxAttempts() < 1 || retry.initialBackoffMs() < 0 || retry.maxBackoffMs() < retry.initialBackoffMs()) {
        return "tool " + d.name() + " declares an invalid retry policy " + retry;
      }
    }
    return null;
  }

  private static IllegalArgumentException duplicate(String name) {
    return new IllegalArgumentException("a tool named " + name + " is already registered");
  }
}
