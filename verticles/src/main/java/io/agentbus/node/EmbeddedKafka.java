package io.agentbus.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-broker Kafka (KRaft, broker and controller in one process) for a laptop node and for tests. Its log
 * directory survives restarts, so a node restarted on the same work directory finds its tasks topic again.
 * Blocking: call {@link #start} and {@link #stop} off any event loop.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats {@code dataDir} if it is new and starts the broker on 127.0.0.1.
   *
   * @param port           broker port, 0 for a free one
   * @param controllerPort controller port, 0 for a free one
   */
  public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) throws IOException {
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), port == 0 ? FreePorts.pick() : port,
        controllerPort == 0 ? FreePorts.pick() : controllerPort);
    kafka.startServer();
    return kafka;
  }

  private void startServer() throws IOException {
    Path logDir = dataDir.resolve("log");
    Files.createDirectories(logDir);
    Properties props = brokerProperties(logDir);
    Path propsFile = dataDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
      props.store(w, "written by agentbus for its embedded Kafka");
    }
    format(propsFile);
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    LOG.info("embedded Kafka (KRaft) ready on {} with data in {}", bootstrap(), logDir);
  }

  private Properties brokerProperties(Path logDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "6");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.retention.hours", "168");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.threads", "1");
    p.put("log.flush.interval.ms", String.valueOf(Long.MAX_VALUE));
    return p;
  }

  private void format(Path propsFile) {
    String clusterId = existingOrNewClusterId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    int rc;
    // StorageTool.execute prints to stdout; keep it out of the node's console
    synchronized (System.class) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        rc = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", propsFile.toString(), "--ignore-formatted"});
      } finally {
        System.setOut(previous);
      }
    }
    if (rc != 0) {
      throw new IllegalStateException("formatting the embedded Kafka's storage failed: " + out.toString(StandardCharsets.UTF_8));
    }
  }

  private String existingOrNewClusterId() {
    Path idFile = dataDir.resolve("cluster.id");
    try {
      if (Files.exists(idFile)) {
        return Files.readString(idFile).trim();
      }
      String id = Uuid.randomUuid().toString();
      Files.writeString(idFile, id);
      return id;
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep the Kafka cluster id in " + idFile, e);
    }
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      LOG.info("embedded Kafka stopped");
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** A fresh, unique data directory under {@code parent}, for tests. */
  public static Path freshDir(Path parent) {
    return parent.resolve("kafka-" + UUID.randomUUID());
  }
}
