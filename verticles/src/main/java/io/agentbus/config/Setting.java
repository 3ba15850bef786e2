package io.agentbus.config;

import java.util.Locale;

/**
 * Every node setting, with its default and meaning. This enum is the only place a setting's name is spelled:
 * conf/agentbus.properties documents the same keys, the environment overrides them as {@code AGENTBUS_<KEY>}
 * (upper case, dots and dashes as underscores), and {@code agentbus up --help} prints this table.
 */
public enum Setting {
  NODE_ID("node.id", "", "Node id, unique in the cluster; empty generates one"),
  NODE_ROLES("node.roles", "gateway,scheduler,tool-executor,observer,agents",
      "Components to run (membership always runs): gateway, scheduler, tool-executor, observer, agents"),
  NODE_WORK_DIR("node.work-dir", "work", "Directory for the embedded Kafka's data and logs"),

  HTTP_HOST("http.host", "127.0.0.1", "Interface the HTTP gateway listens on"),
  HTTP_PORT("http.port", "8080", "HTTP gateway port (0 picks a free one)"),
  HTTP_MAX_BODY_BYTES("http.max-body-bytes", "1048576", "Largest accepted request body"),
  HTTP_MAX_JSON_DEPTH("http.max-json-depth", "64", "Deepest accepted JSON nesting in a request body"),
  HTTP_MAX_WAIT_MS("http.max-wait-ms", "60000", "Longest a synchronous submit (wait / Prefer: wait) may wait"),
  HTTP_SSE_KEEPALIVE_MS("http.sse-keepalive-ms", "15000", "Interval of SSE keep-alive comments"),

  AUTH_MODE("auth.mode", "jwt",
      "jwt: every API request needs a JWT or API key (Authorization: Bearer ...); dev-none: no authentication at all,"
          + " every caller is tenant 'default' with every scope (development only)"),
  AUTH_JWT_ISSUER("auth.jwt.issuer", "agentbus-dev", "Required iss claim of JWTs"),
  AUTH_JWT_AUDIENCE("auth.jwt.audience", "agentbus", "Required aud claim of JWTs"),
  AUTH_JWT_ALGORITHMS("auth.jwt.algorithms", "HS256",
      "Accepted JWT signature algorithms, comma separated (HS256, RS256, ES256); tokens signed otherwise (none too)"
          + " are refused"),
  AUTH_JWT_HMAC_KEY_FILE("auth.jwt.hmac-key-file", "auth/dev-hs256.key",
      "Shared secret of HS256 tokens; relative paths are under the agentbus home; generated there (the development"
          + " key) when missing"),
  AUTH_JWT_PUBLIC_KEY_FILE("auth.jwt.public-key-file", "",
      "PEM public key (RSA for RS256, EC P-256 for ES256) that verifies asymmetric JWTs"),
  AUTH_API_KEY_FILE("auth.api-key-file", "",
      "API keys of services, one a line: <sha256 hex of the key> <tenant> <subject> <scope,scope,...>"),

  LIMITS_TENANT_REQUESTS_PER_SECOND("limits.tenant-requests-per-second", "0",
      "API requests one tenant may make per second across the whole cluster (REST, SSE, gRPC calls and agent"
          + " sessions; more: 429 with Retry-After / RESOURCE_EXHAUSTED with RetryInfo); 0: no limit"),

  GRPC_HOST("grpc.host", "127.0.0.1", "Interface the gRPC gateway listens on"),
  GRPC_PORT("grpc.port", "9090", "gRPC gateway port (0 picks a free one, -1 serves no gRPC)"),
  GRPC_MAX_MESSAGE_BYTES("grpc.max-message-bytes", "4194304",
      "Largest gRPC message accepted (larger: RESOURCE_EXHAUSTED)"),
  GRPC_MAX_CONCURRENT_STREAMS("grpc.max-concurrent-streams", "2000",
      "Concurrent gRPC calls one HTTP/2 connection may have open"),
  GRPC_MAX_BATCH("grpc.max-batch", "100", "Most tasks one RunBatch call may carry"),
  GRPC_STREAM_BUFFER_EVENTS("grpc.stream-buffer-events", "256",
      "Task events a Stream call holds for a client that reads slower than they come; beyond, they are fetched"
          + " again from the task's owner once the client catches up"),
  GRPC_CANCEL_TASK_ON_CLIENT_CANCEL("grpc.cancel-task-on-client-cancel", "true",
      "A client that cancels a Run, Stream (of a task it submits) or RunBatch call cancels its task(s)"),
  GRPC_AGENT_SESSION_TIMEOUT_MS("grpc.agent-session-timeout-ms", "10000",
      "An agent session silent this long (no heartbeat, no other message) ends and the agent leaves the registry"),
  GRPC_AGENT_MAX_IN_FLIGHT("grpc.agent-max-in-flight", "256",
      "Reports of one agent session on their way to the scheduler before its stream is paused"),
  GRPC_KEEPALIVE_MS("grpc.keepalive-ms", "20000",
      "HTTP/2 PING interval on an agent session's connection, so long silent generations keep their connection"),
  GRPC_KEEPALIVE_TIMEOUT_MS("grpc.keepalive-timeout-ms", "10000",
      "A PING unanswered this long closes the connection and ends its agent sessions"),

  KAFKA_BOOTSTRAP("kafka.bootstrap", "",
      "Bootstrap servers of an external Kafka; empty starts an embedded single-broker KRaft Kafka"),
  KAFKA_EMBEDDED_PORT("kafka.embedded.port", "9092", "Broker port of the embedded Kafka (0 picks a free one)"),
  KAFKA_EMBEDDED_CONTROLLER_PORT("kafka.embedded.controller-port", "0",
      "Controller port of the embedded Kafka (0 picks a free one)"),
  KAFKA_TOPIC_TASKS("kafka.topic.tasks", "agentbus.tasks", "Topic of task lifecycle CloudEvents, keyed by task id"),
  KAFKA_TOPIC_INTENT("kafka.topic.intent", "agent.intent", "Topic of tool-call intents"),
  KAFKA_TOPIC_OBSERVATION("kafka.topic.observation", "agent.observation", "Topic of tool-call observations"),
  KAFKA_TOPIC_DEAD_LETTER("kafka.topic.dead-letter", "agentbus.dead-letter", "Topic of events that cannot be processed"),
  KAFKA_TOPIC_PARTITIONS("kafka.topic.partitions", "6", "Partitions of topics agentbus creates"),
  KAFKA_TOPIC_REPLICATION("kafka.topic.replication-factor", "1", "Replication factor of topics agentbus creates"),
  KAFKA_LINGER_MS("kafka.producer.linger-ms", "1", "Producer linger: higher batches more, adds latency"),
  KAFKA_CLOUDEVENTS_MODE("kafka.cloudevents-mode", "structured",
      "CloudEvents Kafka binding: structured (JSON envelope) or binary (attributes in headers)"),
  KAFKA_RECORD_STREAM_EVENTS("kafka.record-stream-events", "false",
      "Also record progress, thought, content and tool events in the tasks topic, not only state changes"),

  CLUSTER_CONFIG("cluster.config", "cluster-config/single-node.xml", "Hazelcast member configuration file"),
  CLUSTER_NAME("cluster.name", "agentbus", "Hazelcast cluster name; nodes join only their own cluster"),
  CLUSTER_HOST("cluster.host", "127.0.0.1", "Interface the Hazelcast member and the event bus bind to"),
  CLUSTER_PORT("cluster.port", "5701", "Hazelcast member port (0 picks a free one)"),
  CLUSTER_JOIN("cluster.join", "",
      "Members to join by TCP-IP, host:port comma separated (each one listed, no port ranges); replaces the join of"
          + " cluster.config; empty keeps the file's join"),

  MEMBERSHIP_ANTI_ENTROPY_MS("membership.anti-entropy-ms", "1000",
      "Interval of the anti-entropy exchange with one other node, which heals lost membership deltas"),
  MEMBERSHIP_AGENT_SUSPECT_MS("membership.agent-suspect-ms", "3000",
      "An agent without a heartbeat for this long is marked suspect (agents beat every third of it)"),
  MEMBERSHIP_AGENT_TTL_MS("membership.agent-ttl-ms", "10000",
      "An agent without a heartbeat for this long is removed from the registry"),
  MEMBERSHIP_DROP_OUTGOING_DELTAS("membership.drop-outgoing-deltas", "false",
      "Test hook: publish no membership deltas, so only anti-entropy spreads this node's changes"),
  MEMBERSHIP_BENCH_HOOKS("membership.bench-hooks", "false",
      "Bench hook: serve synthetic agent registrations and first-seen times on agentbus.membership.node.<id>.bench.*"),

  TASKS_DEFAULT_TIMEOUT_MS("tasks.default-timeout-ms", "60000", "Task deadline when a submit gives none"),
  TASKS_MAX_TIMEOUT_MS("tasks.max-timeout-ms", "3600000", "Longest deadline a submit may ask for"),
  TASKS_QUEUE_LIMIT("tasks.queue-limit", "10000",
      "Tasks that may wait for a free agent of one type before submits get 503 queue-full"),
  TASKS_DISPATCH_TIMEOUT_MS("tasks.dispatch-timeout-ms", "2000",
      "How long an agent has to accept an assignment before it is offered to another"),
  TASKS_MAX_ATTEMPTS("tasks.max-attempts", "3", "Dispatch attempts before a task fails with no-agent-available"),
  TASKS_STOP_ACK_TIMEOUT_MS("tasks.stop-ack-timeout-ms", "1000",
      "How long an agent has to acknowledge a stop before its attempt is fenced anyway (its slot stays taken until"
          + " then)"),
  TASKS_RETENTION_MS("tasks.retention-ms", "600000", "How long a finished task and its events stay queryable"),
  TASKS_RETENTION_MAX("tasks.retention-max", "50000", "At most this many finished tasks are kept per node"),
  TASKS_RETENTION_MAX_EVENTS("tasks.retention-max-events", "500000",
      "At most this many events of finished tasks are kept per node; the oldest finished tasks are forgotten first"),
  TASKS_IDEMPOTENCY_TTL_MS("tasks.idempotency-ttl-ms", "86400000", "How long an Idempotency-Key is remembered"),
  TASKS_MAX_EVENTS("tasks.max-events", "10000", "Most events one task may emit; more fail the task"),
  TASKS_RECOVERY_CHECKPOINT_MS("tasks.recovery-checkpoint-ms", "500",
      "How often a scheduler records where in the tasks topic its live tasks start, for survivors to take over"),
  TASKS_OWNER_LEASE_MS("tasks.owner-lease-ms", "5000",
      "A scheduler that cannot renew its checkpoint for this long gives its tasks up and takes none; survivors take a"
          + " lost node's tasks over once its checkpoint is this old plus 1 s"),

  SESSIONS_MAX_STATE_BYTES("sessions.max-state-bytes", "262144",
      "Largest session snapshot state (JSON bytes) an agent may save"),
  SESSIONS_MAX_WAITING("sessions.max-waiting", "1000",
      "Most tasks one session may have waiting behind its running task; more are refused with queue-full"),
  SESSIONS_RETENTION_MS("sessions.retention-ms", "86400000",
      "How long a session snapshot is kept after its last save"),

  AGENTS_ECHO_INSTANCES("agents.echo.instances", "2", "Built-in echo agents on this node"),
  AGENTS_ECHO_CAPACITY("agents.echo.capacity", "512", "Concurrent tasks per echo agent"),
  AGENTS_ECHO_STEPS("agents.echo.progress-steps", "3", "Progress events an echo task emits before its result"),
  AGENTS_ECHO_STEP_DELAY_MS("agents.echo.step-delay-ms", "0", "Pause before each echo progress event"),
  AGENTS_PLANNER_INSTANCES("agents.planner.instances", "1", "Built-in planner agents on this node"),
  AGENTS_PLANNER_CAPACITY("agents.planner.capacity", "16", "Concurrent tasks per planner agent"),
  AGENTS_PLANNER_STEP_DELAY_MS("agents.planner.step-delay-ms", "20", "Pause between planner steps"),
  AGENTS_STREAMER_INSTANCES("agents.streamer.instances", "0",
      "Built-in streamer agents on this node (stream N content chunks; for streaming benchmarks)"),
  AGENTS_STREAMER_CAPACITY("agents.streamer.capacity", "256", "Concurrent tasks per streamer agent"),
  AGENTS_SAGA_INSTANCES("agents.saga.instances", "1",
      "Built-in saga agents on this node (run a plan of tool calls, compensating on failure)"),
  AGENTS_SAGA_CAPACITY("agents.saga.capacity", "64", "Concurrent sagas per saga agent"),

  TOOLS_DEFAULT_TIMEOUT_MS("tools.default-timeout-ms", "10000", "Tool timeout when a tool declares none"),
  TOOLS_DEFAULT_MAX_CONCURRENCY("tools.default-max-concurrency", "64",
      "Calls of one tool that may run at once on a node when the tool declares no limit (its bulkhead)"),
  TOOLS_BULKHEAD_QUEUE("tools.bulkhead-queue", "1000",
      "Calls of one tool that may wait for a free slot of its bulkhead; more fail at once with tool-busy"),
  TOOLS_BREAKER_MAX_FAILURES("tools.breaker.max-failures", "5",
      "Failed calls of a tool (failures and timeouts) that open its circuit breaker on a node"),
  TOOLS_BREAKER_RESET_MS("tools.breaker.reset-ms", "30000",
      "How long an open circuit breaker fails calls fast before it lets one trial call through (half-open)"),
  TOOLS_CONSUMER_GROUP("tools.consumer-group", "agentbus-tool-executor",
      "Kafka consumer group of the tool executors: the intent topic's partitions are shared among its members"),
  TOOLS_SESSION_TIMEOUT_MS("tools.consumer.session-timeout-ms", "10000",
      "Kafka session timeout of the intent consumer: how soon a dead executor's partitions move to another"),
  TOOLS_MAX_IN_FLIGHT("tools.max-in-flight", "256",
      "Intents one node executes at once; past this the intent consumer pauses"),
  TOOLS_COMMIT_INTERVAL_MS("tools.commit-interval-ms", "100",
      "How often the intent consumer commits the offsets of intents whose observation is durable"),
  TOOLS_LAG_INTERVAL_MS("tools.lag-interval-ms", "5000", "How often the intent consumer's lag is measured for /metrics"),
  TOOLS_LEDGER_TTL_MS("tools.ledger.ttl-ms", "86400000",
      "How long the idempotency ledger remembers a tool call (and answers its duplicates with the recorded outcome)"),
  TOOLS_OBSERVATION_GRACE_MS("tools.observation-grace-ms", "5000",
      "How long past a call's time limit a caller waits for its observation before it is told tool-timeout"),
  TOOLS_HTTP_ALLOW_HOSTS("tools.http-fetch.allow-hosts", "",
      "Hosts http_fetch may reach, comma separated: host, host:port, *.domain, or * for any; empty denies all"),
  TOOLS_HTTP_ALLOW_INTERNAL("tools.http-fetch.allow-internal", "",
      "Loopback, private, link-local or other internal addresses (IPs or CIDR blocks, comma separated) http_fetch may"
          + " reach; empty denies them all"),
  TOOLS_HTTP_MAX_BYTES("tools.http-fetch.max-bytes", "262144", "Largest response body http_fetch reads"),
  TOOLS_HTTP_TIMEOUT_MS("tools.http-fetch.timeout-ms", "5000", "http_fetch time limit, redirects included"),
  TOOLS_SQL_MAX_ROWS("tools.sql.max-rows", "500", "Most rows sql_query returns"),
  TOOLS_SQL_TIMEOUT_MS("tools.sql.timeout-ms", "5000", "sql_query time limit"),
  TOOLS_TEST_EFFECT_FILE("tools.test.effect-file", "",
      "Test hook: when set, the tool test_effect (not idempotent) appends a line to this file on every run"),
  TOOLS_TEST_HOLD_AT("tools.test.hold-at", "",
      "Test hook: after-effect or before-commit holds every intent at that point forever, so a test can kill the node"
          + " there"),

  SHUTDOWN_DRAIN_MS("shutdown.drain-timeout-ms", "30000",
      "On SIGTERM, how long to let in-flight tasks finish before stopping"),
  VERTX_EVENT_LOOPS("vertx.event-loops", "0", "Event-loop threads (0: two per core)"),
  VERTX_MAX_EVENT_LOOP_EXECUTE_MS("vertx.max-event-loop-execute-ms", "2000",
      "An event loop busy longer than this counts as blocked (metric and log)");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The environment variable that overrides this setting. */
  public String envName() {
    return "AGENTBUS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The setting with this key, or null. */
  public static Setting ofKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** The setting with this environment variable name, or null. */
  public static Setting ofEnvName(String name) {
    for (Setting s : values()) {
      if (s.envName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
