package io.agentbus.toolexecutor;

import io.agentbus.api.ToolDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The tools of one executor, by name. Registration checks the descriptor, compiles its schemas once on a worker
 * thread and rejects a name that is already taken; lookups are cheap and thread-safe.
 */
final class ToolRegistry {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final Vertx vertx;
  private final long defaultTimeoutMs;
  private final ConcurrentSkipListMap<String, RegisteredTool> tools = new ConcurrentSkipListMap<>();
  private Future<SchemaCompiler> compiler;

  ToolRegistry(Vertx vertx, long defaultTimeoutMs) {
    this.vertx = vertx;
    this.defaultTimeoutMs = defaultTimeoutMs;
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
        .compose(compiled -> tools.putIfAbsent(compiled.name(), compiled) == null
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(duplicate(compiled.name())));
  }

  /** The tool with this name, or null. */
  RegisteredTool find(String name) {
    return name == null ? null : tools.get(name);
  }

  /** Every tool's descriptor, by name. */
  List<ToolDescriptor> descriptors() {
    return tools.values().stream().map(RegisteredTool::descriptor).toList();
  }

  private synchronized Future<SchemaCompiler> compiler() {
    if (compiler == null) {
      compiler = vertx.executeBlocking(() -> new SchemaCompiler(vertx));
    }
    return compiler;
  }

  private RegisteredTool compile(SchemaCompiler schemas, Tool tool, ToolDescriptor declared) {
    String name = declared.name();
    Validator arguments = schemas.compile("arguments schema of tool " + name, declared.argumentsSchema());
    Validator result = declared.resultSchema() == null
        ? null
        : schemas.compile("result schema of tool " + name, declared.resultSchema());
    long timeoutMs = declared.timeoutMs() > 0 ? declared.timeoutMs() : defaultTimeoutMs;
    ToolDescriptor resolved = new ToolDescriptor(name, declared.description(), declared.argumentsSchema(),
        declared.resultSchema(), timeoutMs, declared.idempotent());
    return new RegisteredTool(tool, resolved, arguments, result);
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
    return null;
  }

  private static IllegalArgumentException duplicate(String name) {
    return new IllegalArgumentException("a tool named " + name + " is already registered");
  }
}
