package io.agentbus.launcher;

import io.agentbus.config.ConfigException;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.gateway.auth.CredentialVerifier;
import io.agentbus.gateway.auth.DevKey;
import io.agentbus.gateway.auth.Principal;
import io.agentbus.gateway.auth.Scope;
import io.agentbus.node.HomePaths;
import io.agentbus.node.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts a node and runs it until Ctrl-C / SIGTERM, then drains and stops it. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = {"Start an agentbus node.",
        "It runs an embedded Kafka (unless kafka.bootstrap is set), a Hazelcast member, and the gateway, scheduler,",
        "tool-executor, observer, membership and built-in agents. Ctrl-C or SIGTERM stops it after letting in-flight",
        "tasks finish (shutdown.drain-timeout-ms)."})
public final class UpCommand implements Callable<Integer> {

  /**
   * Banner lines other processes read (the cluster command, tests): the HTTP address and the gRPC one (host:port), if
   * served, then Kafka's.
   */
  static final String BANNER_HTTP = "  HTTP   ";
  static final String BANNER_GRPC = "  gRPC   ";
  static final String BANNER_KAFKA = "  Kafka  ";
  /** Banner line of the development token (auth.mode=jwt with the generated HS256 key). */
  static final String BANNER_TOKEN = "  token  ";

  @Option(names = "--conf", paramLabel = "FILE",
      description = "Settings file (default: conf/agentbus.properties of the agentbus home)")
  Path conf;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Also read conf/profiles/NAME.properties (after the settings file)")
  String profile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting (repeatable)")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--port", description = "HTTP port (http.port)")
  Integer port;

  @Option(names = "--roles", paramLabel = "LIST", description = "Components to run (node.roles)")
  String roles;

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Use this Kafka instead of the embedded one (kafka.bootstrap)")
  String kafka;

  @Option(names = "--node-id", description = "Node id (node.id)")
  String nodeId;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "Hazelcast member configuration, e.g. cluster-config/tcp-ip.xml (cluster.config)")
  String clusterConfig;

  @Option(names = "--join", paramLabel = "HOST:PORT,...",
      description = "Join exactly these members by TCP-IP, each host:port listed (cluster.join)")
  String join;

  @Option(names = "--insecure-no-auth",
      description = "Run WITHOUT authentication (auth.mode=dev-none): anyone who reaches the ports may do anything."
          + " For local development only")
  boolean insecureNoAuth;

  /** Lifetime of the development token the banner prints. */
  static final int DEV_TOKEN_TTL_SECONDS = 24 * 3600;

  @Override
  public Integer call() {
    NodeConfig config;
    try {
      config = NodeConfig.load(configFiles(), System.getenv(), overrides());
    } catch (ConfigException e) {
      System.err.println("agentbus: " + e.getMessage());
      return 2;
    }
    Node node;
    try {
      node = Node.start(config);
    } catch (ConfigException e) {
      System.err.println("agentbus: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("agentbus: the node could not start: " + e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Duration drain = Duration.ofMillis(config.getLong(Setting.SHUTDOWN_DRAIN_MS));
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      System.out.println("agentbus: stopping (draining in-flight tasks for up to " + drain.toMillis() + " ms)");
      node.drainAndStop(drain);
      stopped.countDown();
    };
    // SIGTERM and Ctrl-C drain and then exit 0, a clean stop; any other JVM exit still drains through the hook
    StopSignals.onTerminate(() -> new Thread(stop, "agentbus-stop").start());
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "agentbus-shutdown"));
    printBanner(node, config);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void printBanner(Node node, NodeConfig config) {
    String http = node.httpAddress();
    System.out.println("agentbus node " + node.nodeId() + " is up");
    if (http != null) {
      System.out.println(BANNER_HTTP + http);
    }
    if (node.grpcAddress() != null) {
      System.out.println(BANNER_GRPC + node.grpcAddress());
    }
    System.out.println(BANNER_KAFKA + node.kafkaBootstrap());
    System.out.println("  roles  " + node.roles());
    String authHeader = "";
    if (CredentialVerifier.disabled(config)) {
      System.out.println("  auth   OFF (auth.mode=dev-none): WARNING, anyone who reaches these ports may submit, read"
          + " and cancel any task and serve as any agent; never run like this outside local development");
    } else if (config.getList(Setting.AUTH_JWT_ALGORITHMS).stream().anyMatch(a -> a.trim().equalsIgnoreCase("HS256"))) {
      String token = DevKey.token(node.vertx(), config, Principal.DEFAULT_TENANT, "dev",
          java.util.EnumSet.of(Scope.SUBMIT, Scope.READ, Scope.SERVE), DEV_TOKEN_TTL_SECONDS);
      System.out.println("  auth   JWT; a development token (tenant " + Principal.DEFAULT_TENANT
          + ", scopes submit read serve, valid " + DEV_TOKEN_TTL_SECONDS / 3600 + " h, signed with "
          + config.get(Setting.AUTH_JWT_HMAC_KEY_FILE) + "):");
      System.out.println(BANNER_TOKEN + token);
      authHeader = " -H \"Authorization: Bearer " + token + "\"";
    } else {
      System.out.println("  auth   JWT (" + config.get(Setting.AUTH_JWT_ALGORITHMS) + "); bring a token of your issuer");
    }
    if (http != null) {
      System.out.println("  try    curl -s -X POST " + http + "/v1/tasks?wait=5 -H 'Content-Type: application/json'"
          + authHeader + " -d '{\"agent_type\":\"echo\",\"input\":{\"hello\":\"world\"}}'");
    }
    System.out.flush();
  }

  private List<Path> configFiles() {
    List<Path> files = new ArrayList<>();
    files.add(conf != null ? conf : HomePaths.home().resolve("conf/agentbus.properties"));
    if (profile != null) {
      files.add(HomePaths.home().resolve("conf/profiles/" + profile + ".properties"));
    }
    return files;
  }

  private Map<String, String> overrides() {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (insecureNoAuth) {
      all.put(Setting.AUTH_MODE.key(), "dev-none");
    }
    if (port != null) {
      all.put(Setting.HTTP_PORT.key(), port.toString());
    }
    if (roles != null) {
      all.put(Setting.NODE_ROLES.key(), roles);
    }
    if (kafka != null) {
      all.put(Setting.KAFKA_BOOTSTRAP.key(), kafka);
    }
    if (nodeId != null) {
      all.put(Setting.NODE_ID.key(), nodeId);
    }
    if (clusterConfig != null) {
      all.put(Setting.CLUSTER_CONFIG.key(), clusterConfig);
    }
    if (join != null) {
      all.put(Setting.CLUSTER_JOIN.key(), join);
    }
    return all;
  }

  /** The settings table for --help. */
  static String settingsHelp() {
    StringBuilder sb = new StringBuilder();
    for (Setting s : Setting.values()) {
      sb.append(String.format("  %s = %s%n      %s (env %s)%n", s.key(),
          s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue(), s.description(), s.envName()));
    }
    return sb.toString();
  }

  static void installFooter(CommandLine cmd) {
    CommandLine up = cmd.getSubcommands().get("up");
    up.getCommandSpec().usageMessage().footer(
        "%nSettings (defaults < conf/agentbus.properties < --profile < AGENTBUS_<KEY> env < --set/options):%n"
            + settingsHelp().replace("%", "%%"));
  }
}
