package io.agentbus.toolexecutor;

import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolList;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * The tool-executor. Answers {@link Addresses#TOOLS_INVOKE} with a {@link io.agentbus.api.ToolOutcome} for every
 * well-formed {@link ToolCall} (a malformed request fails with {@link ErrorCode#INVALID_REQUEST}) by way of a
 * durable intent in Kafka, and {@link Addresses#TOOLS_LIST} with the {@link ToolList} of its tools and their circuit
 * state. As a member of the executors' consumer group it runs the intents of its share of the intent topic's
 * partitions, exactly once per intent (see {@link IntentExecutor}), and records each outcome as an observation.
 * Ready once every tool is registered and the consumers and producer are up.
 */
public class ToolExecutorVerticle extends VerticleBase {

  private final NodeContext node;
  private final List<Tool> extraTools;
  private ToolRegistry tools;
  private BuiltinTools builtins;
  private IntentLog log;
  private IntentConsumer intents;
  private ObservationFeed observations;

  public ToolExecutorVerticle(NodeContext node) {
    this(node, List.of());
  }

  /** With {@code extraTools} registered next to the built-in ones (names must not collide). */
  public ToolExecutorVerticle(NodeContext node, List<? extends Tool> extraTools) {
    this.node = node;
    this.extraTools = List.copyOf(extraTools);
  }

  @Override
  public Future<?> start() {
    NodeConfig config = node.config();
    ToolMetrics metrics = new ToolMetrics(node.registry());
    tools = new ToolRegistry(vertx, new ToolRegistry.Defaults(config.getLong(Setting.TOOLS_DEFAULT_TIMEOUT_MS),
        config.getInt(Setting.TOOLS_DEFAULT_MAX_CONCURRENCY), config.getInt(Setting.TOOLS_BULKHEAD_QUEUE),
        config.getInt(Setting.TOOLS_BREAKER_MAX_FAILURES), config.getLong(Setting.TOOLS_BREAKER_RESET_MS)), metrics);
    ToolCallRunner runner = new ToolCallRunner(vertx, context, tools, metrics);
    long graceMs = config.getLong(Setting.TOOLS_OBSERVATION_GRACE_MS);
    String holdAt = config.get(Setting.TOOLS_TEST_HOLD_AT);
    IdempotencyLedger ledger = new IdempotencyLedger(node.hazelcast(), context,
        config.getLong(Setting.TOOLS_LEDGER_TTL_MS));
    IntentExecutor executor = new IntentExecutor(vertx, tools, runner, ledger, node.hazelcast(), metrics,
        node.nodeId(), graceMs, holdAt.equals("after-effect"));
    PendingCalls pending = new PendingCalls(vertx);
    observations = new ObservationFeed(vertx, pending);

    // building the tools parses their schemas, loads their libraries and seeds a database: not on the event loop
    return vertx.executeBlocking(() -> {
      ToolWarmup.run(ledger);
      return BuiltinTools.create(vertx, config);
    })
        .compose(made -> {
          builtins = made;
          List<Tool> all = new ArrayList<>(made.tools());
          all.addAll(extraTools);
          return tools.registerAll(all);
        })
        .compose(v -> IntentLog.create(vertx, config, node.kafkaBootstrap(), node.nodeId()))
        .compose(created -> {
          log = created;
          intents = new IntentConsumer(vertx, log, executor, tools, metrics, config.getInt(Setting.TOOLS_MAX_IN_FLIGHT),
              holdAt.equals("before-commit"));
          return observations.start(node.kafkaBootstrap(), log.observationTopic(), node.nodeId());
        })
        .compose(v -> intents.start(config, node.kafkaBootstrap(), node.nodeId()))
        .compose(v -> {
          ToolInvokeFront front = new ToolInvokeFront(log, pending, runner, tools, metrics, node.nodeId(), graceMs);
          MessageConsumer<Object> invoke = vertx.eventBus().consumer(Addresses.TOOLS_INVOKE, front::handle);
          MessageConsumer<Object> list = vertx.eventBus().consumer(Addresses.TOOLS_LIST,
              message -> message.reply(new ToolList(tools.descriptors())));
          return Future.join(invoke.completion(), list.completion());
        });
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (intents != null) {
      closing.add(intents.stop());
    }
    closing.add(observations.stop());
    if (log != null) {
      closing.add(log.close());
    }
    if (builtins != null) {
      closing.add(builtins.close(vertx));
    }
    tools.close();
    return Future.join(closing);
  }
}
