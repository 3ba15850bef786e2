package io.agentbus.launcher.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The phases of {@code agentbus bench membership} on three node processes and a {@link ClusterProbe}: convergence of
 * paced registrations, delta bytes per registration, a new node's state transfer at each size, and the time from
 * kill -9 of a node until its agents are gone everywhere. Every wait is bounded.
 */
final class MembershipBench implements AutoCloseable {

  /** Figures of one run. */
  record Results(int nodes, int warmup, int samples, long intervalMs, ConvergenceSamples convergence,
                 double bytesPerRegistration, List<Sync> syncs, Loss loss) {
  }

  /** A new node brought from empty to the state of {@code agents} agents. */
  record Sync(int agents, long transferMs, long launchToConvergedMs, boolean identical) {
  }

  /** kill -9 of a node holding {@code agents} agents. */
  record Loss(int agents, long detectedMs, long goneEverywhereMs) {
  }

  private static final Duration START_BOUND = Duration.ofSeconds(120);
  private static final Duration SETTLE_BOUND = Duration.ofSeconds(180);
  private static final int NODES = 3;

  private final Path home;
  private final Path workDir;
  private final String javaOpts;
  private final PrintWriter out;
  private final String clusterName = "bench-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<BenchNodeProcess> nodes = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();
  private ClusterProbe probe;
  private String kafka;

  MembershipBench(Path home, Path workDir, String javaOpts, PrintWriter out) {
    this.home = home;
    this.workDir = workDir;
    this.javaOpts = javaOpts;
    this.out = out;
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  Results run(int samples, long intervalMs, List<Integer> sizes) throws Exception {
    startCluster();
    int warmup = Math.max(NODES, samples / 3);
    progress("warm-up: %d paced registrations", warmup);
    paced("bench-warm", warmup, intervalMs);
    removeAll("bench-warm");

    progress("convergence: %d paced registrations, one every %d ms on each of %d nodes", samples, intervalMs, NODES);
    long[] before = deltaTotals();
    ConvergenceSamples convergence = paced("bench-conv", samples, intervalMs);
    long[] after = deltaTotals();
    double bytesPerRegistration = (after[0] - before[0]) / (double) samples;
    removeAll("bench-conv");

    List<Sync> syncs = new ArrayList<>();
    int total = 0;
    for (int size : sizes) {
      total = grow(total, size);
      syncs.add(joinNewNode(size, NODES + syncs.size()));
    }
    return new Results(NODES, warmup, samples, intervalMs, convergence, bytesPerRegistration, syncs, killOne());
  }

  private void startCluster() throws Exception {
    for (int i = 0; i < NODES; i++) {
      ports.add(freePort());
    }
    progress("starting %d nodes (separate JVMs, loopback, cluster %s), logs in %s", NODES, clusterName, workDir);
    nodes.add(startNode(0, Map.of("kafka.embedded.port", "0")));
    kafka = nodes.get(0).kafkaBootstrap();
    List<CompletableFuture<BenchNodeProcess>> rest = new ArrayList<>();
    for (int i = 1; i < NODES; i++) {
      int index = i;
      rest.add(CompletableFuture.supplyAsync(() -> {
        try {
          return startNode(index, Map.of("kafka.bootstrap", kafka));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<BenchNodeProcess> f : rest) {
      nodes.add(f.join());
    }
    probe = ClusterProbe.join(clusterName, seedMembers());
  }

  private BenchNodeProcess startNode(int index, Map<String, String> extra) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("cluster.name", clusterName);
    settings.put("cluster.port", String.valueOf(ports.get(index)));
    settings.put("cluster.join", String.join(",", seedMembers()));
    settings.put("node.roles", "observer");
    settings.put("node.work-dir", workDir.resolve("n" + (index + 1)).toString());
    settings.put("membership.bench-hooks", "true");
    settings.putAll(extra);
    return BenchNodeProcess.start(home, "n" + (index + 1), settings, javaOpts, workDir, START_BOUND);
  }

  private List<String> seedMembers() {
    return ports.subList(0, NODES).stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** Registers {@code count} agents spread over the nodes, one every {@code intervalMs} on each, and times them. */
  private ConvergenceSamples paced(String prefix, int count, long intervalMs) throws Exception {
    List<String> origins = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      String p = prefix + "-" + nodes.get(i).nodeId;
      origins.add(p);
      int share = count / NODES + (i < count % NODES ? 1 : 0);
      probe.call(nodes.get(i).nodeId, "register",
          new JsonObject().put("prefix", p).put("count", share).put("interval_ms", intervalMs));
    }
    awaitCount(origins, count);
    ConvergenceSamples samples = new ConvergenceSamples();
    for (int i = 0; i < NODES; i++) {
      List<JsonObject> seen = new ArrayList<>();
      JsonObject registered = null;
      for (int j = 0; j < NODES; j++) {
        JsonObject times = probe.call(nodes.get(j).nodeId, "times", new JsonObject().put("prefix", origins.get(i)));
        seen.add(times.getJsonObject("seen"));
        if (i == j) {
          registered = times.getJsonObject("registered");
        }
      }
      samples.add(registered, seen, i);
    }
    return samples;
  }

  private void removeAll(String prefix) throws Exception {
    List<String> origins = new ArrayList<>();
    for (BenchNodeProcess n : nodes) {
      origins.add(prefix + "-" + n.nodeId);
      probe.call(n.nodeId, "deregister", new JsonObject().put("prefix", prefix + "-" + n.nodeId));
    }
    awaitCount(origins, 0);
  }

  /** Registers agents in bulk, spread over the nodes, until there are {@code size}; returns the new total. */
  private int grow(int total, int size) throws Exception {
    progress("registering agents: %,d -> %,d", total, size);
    for (int i = 0; i < NODES; i++) {
      int share = (size - total) / NODES + (i < (size - total) % NODES ? 1 : 0);
      String prefix = "bench-s" + size + "-" + nodes.get(i).nodeId;
      prefixes.add(prefix);
      probe.call(nodes.get(i).nodeId, "register", new JsonObject().put("prefix", prefix).put("count", share));
    }
    awaitCount(prefixes, size);
    return size;
  }

  private Sync joinNewNode(int agents, int index) throws Exception {
    progress("a new node joins the %,d agents", agents);
    ports.add(freePort());
    BenchNodeProcess joiner = startNode(index, Map.of("kafka.bootstrap", kafka));
    try {
      awaitCountOn(List.of(joiner), prefixes, agents);
      long launchToConverged = (System.nanoTime() - joiner.launchedNanos) / 1_000_000;
      long transfer = probe.call(joiner.nodeId, "summary", new JsonObject()).getLong("last_full_sync_ms");
      List<BenchNodeProcess> all = new ArrayList<>(nodes);
      all.add(joiner);
      boolean identical = awaitBounded(Duration.ofSeconds(10), () -> stateHashes(all).size() == 1);
      return new Sync(agents, transfer, launchToConverged, identical);
    } finally {
      joiner.close();
    }
  }

  private Loss killOne() throws Exception {
    BenchNodeProcess victim = nodes.get(NODES - 1);
    List<String> itsPrefixes = prefixes.stream().filter(p -> p.endsWith("-" + victim.nodeId)).toList();
    List<BenchNodeProcess> survivors = nodes.subList(0, NODES - 1);
    int agents = count(survivors.get(0), itsPrefixes);
    progress("kill -9 of %s, which holds %,d agents", victim.nodeId, agents);
    long killedAt = nowMicros();
    victim.kill();
    awaitCountOn(survivors, itsPrefixes, 0);
    long gone = 0;
    for (BenchNodeProcess n : survivors) {
      for (String p : itsPrefixes) {
        gone = Math.max(gone, probe.call(n.nodeId, "count", new JsonObject().put("prefix", p))
            .getLong("last_removal_us"));
      }
    }
    Long detected = probe.removedAtMicros(victim.nodeId);
    return new Loss(agents, detected == null ? -1 : (detected - killedAt) / 1000, (gone - killedAt) / 1000);
  }

  private long[] deltaTotals() throws Exception {
    long bytes = 0;
    long messages = 0;
    for (BenchNodeProcess n : nodes) {
      JsonObject s = probe.call(n.nodeId, "summary", new JsonObject());
      bytes += s.getLong("delta_bytes_sent");
      messages += s.getLong("deltas_sent");
    }
    return new long[] {bytes, messages};
  }

  private List<String> stateHashes(List<BenchNodeProcess> of) {
    List<String> hashes = new ArrayList<>();
    for (BenchNodeProcess n : of) {
      try {
        String h = probe.call(n.nodeId, "summary", new JsonObject()).getString("state_hash");
        if (!hashes.contains(h)) {
          hashes.add(h);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return hashes;
  }

  private void awaitCount(List<String> ofPrefixes, int expected) throws Exception {
    awaitCountOn(nodes, ofPrefixes, expected);
  }

  private void awaitCountOn(List<BenchNodeProcess> on, List<String> ofPrefixes, int expected) throws Exception {
    Map<String, Integer> last = new HashMap<>();
    boolean reached = awaitBounded(SETTLE_BOUND, () -> {
      for (BenchNodeProcess n : on) {
        int c = count(n, ofPrefixes);
        last.put(n.nodeId, c);
        if (c != expected) {
          return false;
        }
      }
      return true;
    });
    if (!reached) {
      throw new IllegalStateException("expected " + expected + " agents of " + ofPrefixes + " on every node within "
          + SETTLE_BOUND + ", last counts " + last);
    }
  }

  private int count(BenchNodeProcess node, List<String> ofPrefixes) {
    int sum = 0;
    for (String p : ofPrefixes) {
      try {
        sum += probe.call(node.nodeId, "count", new JsonObject().put("prefix", p)).getInteger("count");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return sum;
  }

  private static boolean awaitBounded(Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void progress(String format, Object... args) {
    out.printf("... " + format + "%n", args);
    out.flush();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (BenchNodeProcess n : nodes) {
      n.close();
    }
    if (probe != null) {
      probe.close();
    }
  }
}
