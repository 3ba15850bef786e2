package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.node.EmbeddedKafka;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node pointed at an existing Kafka (kafka.bootstrap) starts none of its own; on SIGTERM it refuses new work,
 * lets in-flight tasks finish and records them before it exits. The Kafka here outlives the node, so the test reads
 * what the node recorded after it is gone.
 */
class ShutdownSystemTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start(Files.createTempDirectory("agentbus-external-kafka-"), 0, 0);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  @DisplayName("with kafka.bootstrap set, SIGTERM drains in-flight tasks into that Kafka and the node exits 0")
  void drainsOnSigterm() throws Exception {
    NodeProcess node = NodeProcess.start(Map.of("kafka.bootstrap", kafka.bootstrap(),
        "shutdown.drain-timeout-ms", "20000"));
    assertThat(node.kafkaBootstrap()).isEqualTo(kafka.bootstrap());
    assertThat(node.output()).doesNotContain("embedded Kafka");
    Api api = new Api(node.url());
    Eventually.until("the node is ready", Duration.ofSeconds(60), () -> {
      try {
        return api.get("/ready").status() == 200;
      } catch (java.io.IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    Api.Reply submitted = api.submit("echo", "{\"delay_ms\":2000}", null);
    assertThat(submitted.status()).as(submitted.describe()).isEqualTo(202);
    String id = submitted.json().get("id").asText();

    long start = System.nanoTime();
    int exit = node.terminate(Duration.ofSeconds(40));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(exit).as(node.output()).isZero();
    assertThat(tookMs).as("waited for the in-flight task").isGreaterThanOrEqualTo(1000);
    assertThat(node.output()).contains("draining").contains("stopped");

    List<CloudEvent> events = TasksTopic.readAll(kafka.bootstrap(), "agentbus.tasks").stream()
        .filter(ce -> id.equals(ce.getSubject())).toList();
    assertThat(events).extracting(CloudEvent::getType).startsWith("io.agentbus.task.submitted")
        .endsWith("io.agentbus.task.succeeded");
  }
}
