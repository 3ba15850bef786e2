package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.node.EmbeddedKafka;
import io.agentbus.node.FreePorts;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes started separately with {@code up --cluster-config cluster-config/tcp-ip.xml --join ...} form one
 * cluster, and the failure detection of tcp-ip.xml drops a member that stops answering within 5 s.
 */
class JoinSystemTest {

  private static final Duration DETECTION_BOUND = Duration.ofSeconds(5);
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start(Files.createTempDirectory("agentbus-join-kafka-"), 0, 0);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  @DisplayName("--join makes two separately started nodes one cluster; a frozen member is dropped within 5 s")
  void joinAndDropFrozenMember() throws Exception {
    int portA = FreePorts.pick();
    int portB = FreePorts.pick();
    String join = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    String clusterName = "system-join-" + UUID.randomUUID();
    CompletableFuture<NodeProcess> startA = CompletableFuture.supplyAsync(() -> start(join, clusterName, portA));
    CompletableFuture<NodeProcess> startB = CompletableFuture.supplyAsync(() -> start(join, clusterName, portB));
    try (NodeProcess a = startA.join(); NodeProcess b = startB.join()) {
      String memberA = "127.0.0.1:" + portA;
      String memberB = "127.0.0.1:" + portB;
      MemberHealth.awaitClusterSize(memberA, 2, Duration.ofSeconds(10));
      MemberHealth.awaitClusterSize(memberB, 2, Duration.ofSeconds(10));
      String members = new Api("http://" + memberA).get("/hazelcast/rest/cluster").raw().body();
      assertThat(members).contains("[127.0.0.1]:" + portA).contains("[127.0.0.1]:" + portB);
      assertThat(new Api(b.url()).submit("echo", "{\"on\":\"b\"}", "?wait=10").status()).isEqualTo(200);

      try {
        signal("STOP", b.pid());
        Duration dropped = MemberHealth.awaitClusterSize(memberA, 1, Duration.ofSeconds(15));
        System.out.println("a frozen member was dropped after " + dropped.toMillis() + " ms");
        assertThat(dropped).as("time until the frozen member was dropped").isLessThan(DETECTION_BOUND);
      } finally {
        signal("KILL", b.pid());
      }
      assertThat(new Api(a.url()).get("/ready").status()).isEqualTo(200);
      assertThat(new Api(a.url()).submit("echo", "{\"on\":\"a\"}", "?wait=10").status()).isEqualTo(200);
      assertThat(a.terminate(Duration.ofSeconds(40))).as(a.output()).isZero();
    }
  }

  private static NodeProcess start(String join, String clusterName, int clusterPort) {
    try {
      return NodeProcess.start(List.of("--cluster-config", "cluster-config/tcp-ip.xml", "--join", join),
          Map.of("cluster.port", String.valueOf(clusterPort), "cluster.name", clusterName,
              "kafka.bootstrap", kafka.bootstrap()));
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }
}
