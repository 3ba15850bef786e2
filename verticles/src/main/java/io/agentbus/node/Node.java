package io.agentbus.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.agentbus.agents.BuiltinAgents;
import io.agentbus.api.Codecs;
import io.agentbus.config.ConfigException;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.NodeLifecycle;
import io.agentbus.config.Setting;
import io.agentbus.events.Topics;
import io.agentbus.gateway.GatewayVerticle;
import io.agentbus.gateway.grpc.GrpcGatewayVerticle;
import io.agentbus.gateway.grpc.SessionDirectory;
import io.agentbus.membership.MembershipVerticle;
import io.agentbus.membership.MembershipWarmup;
import io.agentbus.observer.ObserverVerticle;
import io.agentbus.scheduler.SchedulerVerticle;
import io.agentbus.toolexecutor.ToolExecutorVerticle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agentbus node: an embedded Kafka unless {@code kafka.bootstrap} is set, a Hazelcast member, a clustered Vert.x
 * and the verticles of its roles. {@link #start} blocks until the node serves; {@link #drainAndStop} lets owned
 * tasks finish, then stops everything in reverse order. Not for use on an event loop.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final long STARTUP_TIMEOUT_S = 60;

  private final NodeContext context;
  private final Vertx vertx;
  private final EmbeddedKafka kafka;
  private final Set<Role> roles;
  private final List<String> deployments;
  private String gatewayDeployment;

  private Node(NodeContext context, Vertx vertx, EmbeddedKafka kafka, Set<Role> roles, List<String> deployments) {
    this.context = context;
    this.vertx = vertx;
    this.kafka = kafka;
    this.roles = roles;
    this.deployments = deployments;
  }

  /**
   * Starts a node and returns once every verticle is deployed and the gateway listens.
   *
   * @throws ConfigException on bad settings; other exceptions when a part cannot start (everything already
   *                         started is stopped again)
   */
  public static Node start(NodeConfig requested) throws Exception {
    NodeConfig config = withSharedHttpPort(requested);
    long begin = System.nanoTime();
    String nodeId = nodeId(config);
    Set<Role> roles = Role.parse(config.getList(Setting.NODE_ROLES));
    Path workDir = HomePaths.writable(config.get(Setting.NODE_WORK_DIR));
    Files.createDirectories(workDir);

    CompletableFuture<EmbeddedKafka> kafkaStart = config.get(Setting.KAFKA_BOOTSTRAP).isBlank()
        ? CompletableFuture.supplyAsync(() -> startKafka(config, workDir))
        : CompletableFuture.completedFuture(null);
    HazelcastInstance hazelcast = null;
    Vertx vertx = null;
    EmbeddedKafka kafka = null;
    try {
      MembershipWarmup.startInBackground();
      Warmup.run();
      hazelcast = startHazelcast(config, nodeId);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = await(Vertx.builder()
          .with(vertxOptions(config))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .withClusterManager(new HazelcastClusterManager(hazelcast))
          .buildClustered());
      countBlockedEventLoops(vertx, registry);
      Codecs.register(vertx.eventBus());
      kafka = kafkaStart.join();
      String bootstrap = kafka != null ? kafka.bootstrap() : config.get(Setting.KAFKA_BOOTSTRAP);
      await(Topics.ensure(vertx, config, bootstrap));

      NodeLifecycle lifecycle = new NodeLifecycle();
      HealthChecks health = HealthChecks.create(vertx);
      NodeContext context = new NodeContext(nodeId, config, registry, hazelcast, bootstrap, health, lifecycle);
      Node node = new Node(context, vertx, kafka, roles, new ArrayList<>());
      node.deployAll();
      lifecycle.moveTo(NodeLifecycle.Phase.READY);
      LOG.info("node {} ready in {} ms (roles {}, Kafka {})", nodeId,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), roles, bootstrap);
      return node;
    } catch (Exception | Error e) {
      stopQuietly(vertx, hazelcast, kafka != null ? kafka : kafkaStart.handle((k, err) -> k).join());
      if (e instanceof CompletionException && e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void deployAll() throws Exception {
    deploy(new HealthVerticle(context));
    deploy(new MembershipVerticle(context));
    if (roles.contains(Role.OBSERVER)) {
      deploy(new ObserverVerticle(context));
    }
    if (roles.contains(Role.TOOL_EXECUTOR)) {
      deploy(new ToolExecutorVerticle(context));
    }
    if (roles.contains(Role.SCHEDULER)) {
      deploy(new SchedulerVerticle(context));
    }
    if (roles.contains(Role.AGENTS)) {
      for (var agent : BuiltinAgents.create(context)) {
        deploy(agent);
      }
    }
    if (roles.contains(Role.GATEWAY)) {
      int instances = Math.max(1, eventLoops(context.config()));
      if (context.config().getInt(Setting.GRPC_PORT) >= 0) {
        SessionDirectory sessions = new SessionDirectory();
        deployments.add(await(vertx.deployVerticle(() -> new GrpcGatewayVerticle(context, sessions),
            new DeploymentOptions().setInstances(instances))));
      }
      gatewayDeployment = await(vertx.deployVerticle(() -> new GatewayVerticle(context),
          new DeploymentOptions().setInstances(instances)));
      deployments.add(gatewayDeployment);
    }
  }

  private void deploy(io.vertx.core.Deployable verticle) throws Exception {
    deployments.add(await(vertx.deployVerticle(verticle)));
  }

  /**
   * Stops taking tasks, waits up to {@code drain} for the tasks this node owns to finish, then stops the verticles,
   * Vert.x, Hazelcast and the embedded Kafka. Safe to call more than once.
   */
  public synchronized void drainAndStop(Duration drain) {
    NodeLifecycle lifecycle = context.lifecycle();
    if (lifecycle.phase() == NodeLifecycle.Phase.STOPPED) {
      return;
    }
    lifecycle.moveTo(NodeLifecycle.Phase.DRAINING);
    long deadline = System.nanoTime() + drain.toNanos();
    int active = lifecycle.activeTasks();
    if (active > 0) {
      LOG.info("draining: waiting up to {} ms for {} in-flight task(s)", drain.toMillis(), active);
    }
    while (lifecycle.activeTasks() > 0 && System.nanoTime() < deadline) {
      sleep(20);
    }
    if (lifecycle.activeTasks() > 0) {
      LOG.warn("drain timeout: {} task(s) still in flight; they stay recorded in Kafka as not finished",
          lifecycle.activeTasks());
    }
    undeployInReverse();
    lifecycle.moveTo(NodeLifecycle.Phase.STOPPED);
    stopQuietly(vertx, context.hazelcast(), kafka);
    LOG.info("node {} stopped", context.nodeId());
  }

  // the gateway first, membership last: Vert.x's close would undeploy them all at once, and an agent that asks the
  // already undeployed membership to deregister it then waits out a 30 s request timeout once another node has left
  private void undeployInReverse() {
    List<String> reverse = new ArrayList<>(deployments);
    Collections.reverse(reverse);
    for (String id : reverse) {
      try {
        await(vertx.undeploy(id));
      } catch (Exception e) {
        LOG.warn("undeploying {}: {}", id.equals(gatewayDeployment) ? "the gateway" : id, e.toString());
      }
    }
  }

  private static void stopQuietly(Vertx vertx, HazelcastInstance hazelcast, EmbeddedKafka kafka) {
    if (vertx != null) {
      try {
        await(vertx.close());
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
    }
    if (hazelcast != null) {
      try {
        hazelcast.shutdown();
      } catch (RuntimeException e) {
        LOG.warn("stopping Hazelcast: {}", e.toString());
      }
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  private static EmbeddedKafka startKafka(NodeConfig config, Path workDir) {
    try {
      return EmbeddedKafka.start(workDir.resolve("kafka"), config.getInt(Setting.KAFKA_EMBEDDED_PORT),
          config.getInt(Setting.KAFKA_EMBEDDED_CONTROLLER_PORT));
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  static HazelcastInstance startHazelcast(NodeConfig config, String nodeId) throws IOException {
    return Hazelcast.newHazelcastInstance(MemberConfig.of(config, nodeId));
  }

  // every gateway instance must listen on one port; Vert.x gives each its own when they all ask for 0
  private static NodeConfig withSharedHttpPort(NodeConfig config) throws IOException {
    NodeConfig c = config.getInt(Setting.HTTP_PORT) == 0 ? config.with(Setting.HTTP_PORT, FreePorts.pick()) : config;
    return c.getInt(Setting.GRPC_PORT) == 0 ? c.with(Setting.GRPC_PORT, FreePorts.pick()) : c;
  }

  private static VertxOptions vertxOptions(NodeConfig config) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    metrics.addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(metrics)
        .setPreferNativeTransport(true)
        .setMaxEventLoopExecuteTime(config.getLong(Setting.VERTX_MAX_EVENT_LOOP_EXECUTE_MS))
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.min(1000, Math.max(50, config.getLong(Setting.VERTX_MAX_EVENT_LOOP_EXECUTE_MS) / 2)))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(config.getLong(Setting.VERTX_MAX_EVENT_LOOP_EXECUTE_MS))
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setEventBusOptions(new EventBusOptions().setHost(config.get(Setting.CLUSTER_HOST)).setPort(0));
    int loops = eventLoops(config);
    if (loops > 0) {
      options.setEventLoopPoolSize(loops);
    }
    return options;
  }

  private static int eventLoops(NodeConfig config) {
    int configured = config.getInt(Setting.VERTX_EVENT_LOOPS);
    return configured > 0 ? configured : 2 * Runtime.getRuntime().availableProcessors();
  }

  private static void countBlockedEventLoops(Vertx vertx, PrometheusMeterRegistry registry) {
    Counter blocked = Counter.builder("agentbus.eventloop.blocked")
        .description("Times an event loop was seen busy longer than vertx.max-event-loop-execute-ms")
        .register(registry);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        blocked.increment();
      }
      Exception where = new Exception("stack of the blocked thread");
      where.setStackTrace(event.thread().getStackTrace());
      LOG.warn("thread {} blocked for {} ms (limit {} ms)", event.thread().getName(),
          event.duration() / 1_000_000, event.maxExecTime() / 1_000_000, where);
    });
  }

  private static String nodeId(NodeConfig config) {
    String id = config.get(Setting.NODE_ID);
    if (id.isBlank()) {
      return "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
    if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ConfigException(Setting.NODE_ID.key() + " may hold only letters, digits, '-' and '_' (1-64), was '" + id + "'");
    }
    return id;
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(STARTUP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public NodeContext context() {
    return context;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return context.nodeId();
  }

  public Set<Role> roles() {
    return roles;
  }

  public String kafkaBootstrap() {
    return context.kafkaBootstrap();
  }

  /** The gateway's base URL, for example {@code http://127.0.0.1:8080}, or null on a node without gateway. */
  public String httpAddress() {
    int port = context.lifecycle().httpPort();
    return port < 0 ? null : "http://" + context.config().get(Setting.HTTP_HOST) + ":" + port;
  }

  /** The gateway's gRPC address, for example {@code 127.0.0.1:9090}, or null when it serves no gRPC. */
  public String grpcAddress() {
    int port = context.lifecycle().grpcPort();
    return port < 0 ? null : context.config().get(Setting.GRPC_HOST) + ":" + port;
  }
}
