package io.agentbus.launcher.bench;

import io.agentbus.api.ToolIntent;
import io.agentbus.api.ToolObservation;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.events.TaskLog;
import io.agentbus.events.ToolCloudEvents;
import io.agentbus.launcher.DurationConverter;
import io.agentbus.launcher.ExitCodes;
import io.agentbus.launcher.JsonArgument;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks durable tool calls: intents written to the node's intent topic, executed by its tool-executor, answered
 * on the observation topic; then, in the same run, the same records through a plain Kafka relay on the same broker.
 */
@Command(name = "tools", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark durable tool calls: intent -> execution -> observation through the node's Kafka,",
        "next to a raw Kafka producer -> consumer/producer relay -> consumer on the same broker, in the same run.",
        "Keeps --concurrency calls in flight (a closed loop); each is a CloudEvent intent for --tool written to the",
        "intent topic (acks=all), and succeeds when its observation arrives on the observation topic with ok=true.",
        "The latency is intent send to observation receipt. The raw baseline sends the same bytes, copied by a plain",
        "consumer and producer in this process (no ledger, no tool, no commits) to a second topic.",
        "Exit codes: 0 no errors, 1 some calls failed, 2 the node could not be benchmarked."})
public final class ToolsBenchCommand implements Callable<Integer> {

  /** The CloudEvent source of the benchmark's intents (a run id follows). */
  static final String SOURCE_PREFIX = "/agentbus/bench/";
  static final String RELAY_IN = "agentbus.bench.relay-in";
  static final String RELAY_OUT = "agentbus.bench.relay-out";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
      description = "The node's Kafka bootstrap servers, as `up` prints them (default ${DEFAULT-VALUE})")
  String kafka;

  @Option(names = "--concurrency", paramLabel = "N,N", split = ",", defaultValue = "16,256",
      description = "Tool calls kept in flight, one measurement each (default ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time per level (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Unmeasured load before the first level (default ${DEFAULT-VALUE}); a fresh node's JIT needs about"
          + " 90 s of load on 2 cores: use --warmup 90s for real measurements")
  Duration warmup;

  @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
      description = "Unmeasured load before each later level (default ${DEFAULT-VALUE})")
  Duration settle;

  @Option(names = "--max-requests", paramLabel = "N", defaultValue = "10000000",
      description = "Stop a level after this many calls, its warmup included (default ${DEFAULT-VALUE})")
  long maxRequests;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "A call without an observation this long is a timeout error (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--tool", paramLabel = "NAME", defaultValue = "noop",
      description = "The tool called (default ${DEFAULT-VALUE}: does nothing, so the path itself is measured)")
  String tool;

  @Option(names = "--arguments", paramLabel = "JSON", defaultValue = "{\"value\": \"ping\"}",
      description = "The tool's arguments (default ${DEFAULT-VALUE})")
  String arguments;

  @Option(names = "--intent-topic", paramLabel = "TOPIC", description = "The node's intent topic (default: agentbus's)")
  String intentTopic = Setting.KAFKA_TOPIC_INTENT.defaultValue();

  @Option(names = "--observation-topic", paramLabel = "TOPIC",
      description = "The node's observation topic (default: agentbus's)")
  String observationTopic = Setting.KAFKA_TOPIC_OBSERVATION.defaultValue();

  @Option(names = "--client-loops", paramLabel = "N",
      description = "Event loops of the load generator (default: the number of cores)")
  Integer clientLoops;

  @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also measure the raw Kafka relay on the same broker and compare (default: yes)")
  boolean baseline;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int loops = clientLoops != null ? clientLoops : Runtime.getRuntime().availableProcessors();
    for (int c : concurrency) {
      if (c < 1 || c > ToolsPlan.MAX_CONCURRENCY) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--concurrency must be 1 to " + ToolsPlan.MAX_CONCURRENCY + ", was " + c);
      }
    }
    ToolsPlan first = new ToolsPlan(URI.create("kafka://" + kafka + "/" + intentTopic), concurrency.get(0), warmup,
        duration, maxRequests, timeout);
    String source = SOURCE_PREFIX + UUID.randomUUID();
    Function<String, byte[]> intentBytes = intents(source);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000"))) {
      TopicDescription intents = describe(admin, intentTopic);
      List<LoadResult> node;
      try (KafkaRoundTrips trips = KafkaRoundTrips.open(kafka, producer("agentbus-bench-tools"), observationTopic,
          record -> observed(record, source), timeout)) {
        Function<String, ProducerRecord<String, byte[]>> records = id -> intentRecord(intentTopic, id, intentBytes);
        String problem = probe(vertx, trips, records, first, loops);
        if (problem != null) {
          err.println("agentbus: a first " + tool + " call through " + first.target() + " was not observed on "
              + observationTopic + " (" + problem + "); is a node with the tool-executor role using the Kafka at "
              + kafka + " (launcher/agentbus up --profile bench)?");
          err.flush();
          return ExitCodes.REQUEST_ERROR;
        }
        node = measureAll(vertx, trips, records, first, "agentbus", loops, out);
      }
      List<LoadResult> raw = List.of();
      if (baseline) {
        raw = measureRelay(vertx, admin, intents, intentBytes, first, loops, out);
      }
      out.println();
      table(node, raw).forEach(out::println);
      out.flush();
      return node.stream().mapToLong(LoadResult::errorCount).sum() == 0 ? ExitCodes.OK : ExitCodes.TASK_UNSUCCESSFUL;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private List<LoadResult> measureRelay(Vertx vertx, Admin admin, TopicDescription like,
                                        Function<String, byte[]> intentBytes, ToolsPlan first, int loops,
                                        PrintWriter out) throws Exception {
    createLike(admin, like, RELAY_IN, RELAY_OUT);
    try (KafkaRelay relay = new KafkaRelay(kafka, producer("agentbus-bench-relay"), RELAY_IN, RELAY_OUT);
         KafkaRoundTrips trips = KafkaRoundTrips.open(kafka, producer("agentbus-bench-raw"), RELAY_OUT,
             record -> new KafkaRoundTrips.Reply(record.key(), null), timeout)) {
      out.printf("baseline: raw Kafka, %s -> a plain consumer/producer relay in this process -> %s, %d partitions%n",
          RELAY_IN, RELAY_OUT, like.partitions().size());
      Function<String, ProducerRecord<String, byte[]>> records = id -> intentRecord(RELAY_IN, id, intentBytes);
      ToolsPlan plan = first.toward(URI.create("kafka://" + kafka + "/" + RELAY_IN));
      String problem = probe(vertx, trips, records, plan, loops);
      if (problem != null) {
        throw new IllegalStateException("the raw Kafka relay did not answer a first record: " + problem);
      }
      return measureAll(vertx, trips, records, plan, "raw-kafka", loops, out);
    } finally {
      admin.deleteTopics(List.of(RELAY_IN, RELAY_OUT)).all().get(15, TimeUnit.SECONDS);
    }
  }

  private String probe(Vertx vertx, KafkaRoundTrips trips, Function<String, ProducerRecord<String, byte[]>> records,
                       ToolsPlan plan, int loops) throws InterruptedException {
    LoadResult probe = LoadLoop.of(vertx, plan.probe(), workers(trips, records), 1).run("probe", p -> { });
    if (probe.successes() == 1) {
      return null;
    }
    return probe.errors().isEmpty() ? "no answer" : String.join(", ", probe.errors().keySet());
  }

  // the first level gets the warmup, later ones the settle time
  private List<LoadResult> measureAll(Vertx vertx, KafkaRoundTrips trips,
                                      Function<String, ProducerRecord<String, byte[]>> records, ToolsPlan first,
                                      String label, int loops, PrintWriter out) throws InterruptedException {
    List<LoadResult> results = new ArrayList<>();
    for (int i = 0; i < concurrency.size(); i++) {
      ToolsPlan plan = first.at(concurrency.get(i), i == 0 ? first.warmup() : settle);
      out.printf(Locale.ROOT, "%s: %s calls of %s through %s with %d in flight: warmup %.1f s, then %.1f s measured%n",
          label, label.equals("agentbus") ? "tool" : "raw", tool, plan.target(), plan.concurrency(),
          plan.warmup().toMillis() / 1000.0, plan.duration().toMillis() / 1000.0);
      out.flush();
      LoadResult result = LoadLoop.of(vertx, plan, workers(trips, records), loops).run(label, p -> {
        out.println(Report.progressLine(p));
        out.flush();
      });
      Report.summary(result).forEach(out::println);
      out.flush();
      results.add(result);
    }
    return results;
  }

  private static LoadWorkers workers(KafkaRoundTrips trips, Function<String, ProducerRecord<String, byte[]>> records) {
    return (tally, slots) -> new KafkaRoundTripWorker(trips, records, tally, slots);
  }

  private Function<String, byte[]> intents(String source) {
    var args = JsonArgument.parse(spec.commandLine(), "--arguments", arguments);
    EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    return id -> {
      CloudEvent ce = ToolCloudEvents.intent(new ToolIntent(source, id, null, tool, args, null, null, null, null));
      return format.serialize(ce);
    };
  }

  private static ProducerRecord<String, byte[]> intentRecord(String topic, String id, Function<String, byte[]> bytes) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id, bytes.apply(id));
    record.headers().add("content-type", JsonFormat.CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return record;
  }

  private static KafkaRoundTrips.Reply observed(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record,
                                               String source) {
    CloudEvent ce;
    try {
      ce = KafkaMessageFactory.createReader(record).toEvent();
    } catch (RuntimeException e) {
      return null;
    }
    ToolObservation observation = ToolCloudEvents.observationFrom(ce);
    if (observation == null || !source.equals(observation.intentSource())) {
      return null;
    }
    return new KafkaRoundTrips.Reply(observation.intentId(),
        observation.outcome().ok() ? null : "tool " + observation.outcome().error().code());
  }

  private KafkaProducer<String, byte[]> producer(String clientId) {
    Map<String, String> config = new HashMap<>(TaskLog.producerConfig(NodeConfig.defaults(), kafka, clientId));
    config.keySet().removeIf(k -> k.startsWith("cloudevents."));
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    Properties props = new Properties();
    props.putAll(config);
    return new KafkaProducer<>(props);
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot describe topic " + topic + " at " + admin + ": " + e.getCause(), e);
    }
  }

  private static void createLike(Admin admin, TopicDescription like, String... names) throws Exception {
    short replicas = (short) like.partitions().get(0).replicas().size();
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, like.partitions().size(), replicas));
    }
    try {
      admin.createTopics(topics).all().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  static List<String> table(List<LoadResult> node, List<LoadResult> raw) {
    List<String> lines = new ArrayList<>();
    lines.add("Tool calls (intent -> execution -> observation, in Kafka): calls/s and intent-to-observation latency in"
        + " ms by calls in flight; raw = the same records through a plain Kafka relay on the same broker");
    lines.add(String.format(Locale.ROOT, "%9s %10s %8s %8s %8s %8s %7s | %10s %8s %8s | %8s %9s", "in flight",
        "calls/s", "p50", "p90", "p99", "p99.9", "errors", "raw/s", "raw p50", "raw p99", "ratio/s", "ratio p99"));
    for (int i = 0; i < node.size(); i++) {
      LoadResult n = node.get(i);
      LoadResult b = i < raw.size() ? raw.get(i) : null;
      LatencySummary l = n.latency();
      lines.add(String.format(Locale.ROOT, "%9d %10s %8s %8s %8s %8s %7d | %10s %8s %8s | %8s %9s", n.concurrency(),
          GrpcBenchReport.rate(n.throughput()), Report.millis(l.p50()), Report.millis(l.p90()), Report.millis(l.p99()),
          Report.millis(l.p999()), n.errorCount(), b == null ? "-" : GrpcBenchReport.rate(b.throughput()),
          b == null ? "-" : Report.millis(b.latency().p50()), b == null ? "-" : Report.millis(b.latency().p99()),
          b == null ? "-" : Report.ratio(n.throughput(), b.throughput()),
          b == null ? "-" : Report.ratio(l.p99(), b.latency().p99())));
      n.errors().forEach((kind, count) -> lines.add("  errors at " + n.concurrency() + " in flight: " + kind + ": "
          + count));
    }
    return lines;
  }
}
