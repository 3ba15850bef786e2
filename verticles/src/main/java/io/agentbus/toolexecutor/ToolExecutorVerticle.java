package io.agentbus.toolexecutor;

import io.agentbus.api.Addresses;
import io.agentbus.api.ErrorCode;
import io.agentbus.api.ToolCall;
import io.agentbus.api.ToolList;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClientAgent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool-executor: answers {@link Addresses#TOOLS_INVOKE} with a {@link io.agentbus.api.ToolOutcome} for every
 * well-formed {@link ToolCall} (a malformed request fails with {@link ErrorCode#INVALID_REQUEST}) and
 * {@link Addresses#TOOLS_LIST} with the {@link ToolList} of its tools. Ready once every tool is registered and both
 * consumers are.
 */
public class ToolExecutorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ToolExecutorVerticle.class);

  private final NodeConfig config;
  private final MeterRegistry meters;
  private final List<Tool> extraTools;
  private HttpClientAgent httpClient;
  private ToolRegistry tools;
  private ToolCallRunner runner;

  public ToolExecutorVerticle(NodeConfig config, MeterRegistry meters) {
    this(config, meters, List.of());
  }

  /** With {@code extraTools} registered next to the built-in ones (names must not collide). */
  public ToolExecutorVerticle(NodeConfig config, MeterRegistry meters, List<? extends Tool> extraTools) {
    this.config = config;
    this.meters = meters;
    this.extraTools = List.copyOf(extraTools);
  }

  @Override
  public Future<?> start() {
    long httpTimeoutMs = config.getLong(Setting.TOOLS_HTTP_TIMEOUT_MS);
    httpClient = vertx.createHttpClient(HttpGetTool.clientOptions(httpTimeoutMs));
    tools = new ToolRegistry(vertx, config.getLong(Setting.TOOLS_DEFAULT_TIMEOUT_MS));
    runner = new ToolCallRunner(vertx, context, tools, new ToolMetrics(meters));

    // building the tools parses their schemas and loads their libraries' classes: not on the event loop
    return vertx.executeBlocking(() -> allTools(httpTimeoutMs))
        .compose(tools::registerAll)
        .compose(registered -> {
          MessageConsumer<Object> invoke = vertx.eventBus().consumer(Addresses.TOOLS_INVOKE, this::invoke);
          MessageConsumer<Object> list = vertx.eventBus().consumer(Addresses.TOOLS_LIST,
              message -> message.reply(new ToolList(tools.descriptors())));
          return Future.join(invoke.completion(), list.completion());
        });
  }

  private List<Tool> allTools(long httpTimeoutMs) {
    List<Tool> all = new ArrayList<>();
    all.add(new CalculatorTool());
    all.add(new JsonQueryTool());
    all.add(new HttpGetTool(httpClient, HostAllowList.parse(config.getList(Setting.TOOLS_HTTP_ALLOW_HOSTS)),
        config.getInt(Setting.TOOLS_HTTP_MAX_BYTES), httpTimeoutMs));
    all.addAll(extraTools);
    return all;
  }

  @Override
  public Future<?> stop() {
    return httpClient.close();
  }

  private void invoke(Message<Object> message) {
    String problem = requestProblem(message.body());
    if (problem != null) {
      message.fail(ErrorCode.INVALID_REQUEST.code(), problem);
      return;
    }
    try {
      runner.run((ToolCall) message.body()).onSuccess(message::reply);
    } catch (RuntimeException e) {
      LOG.error("tool call failed unexpectedly", e);
      message.fail(ErrorCode.INTERNAL.code(), "the tool-executor failed: " + e);
    }
  }

  private static String requestProblem(Object body) {
    if (!(body instanceof ToolCall call)) {
      return "the body must be a ToolCall, was " + (body == null ? "null" : body.getClass().getSimpleName());
    }
    if (call.tool() == null || call.tool().isBlank()) {
      return "tool is required";
    }
    if (call.timeoutMs() != null && call.timeoutMs() <= 0) {
      return "timeout_ms must be positive, was " + call.timeoutMs();
    }
    return null;
  }
}
