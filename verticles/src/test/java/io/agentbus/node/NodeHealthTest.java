package io.agentbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbus.api.Json;
import io.agentbus.config.Setting;
import io.agentbus.testing.Await;
import io.agentbus.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** /health covers Kafka and Hazelcast: a node whose Kafka cluster goes away reports kafka DOWN with the reason. */
class NodeHealthTest {

  @Test
  @DisplayName("/health is UP with the brokers and members it sees, and DOWN naming kafka once the brokers are gone")
  void kafkaAndHazelcast() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(Files.createTempDirectory("agentbus-health-kafka-"), 0, 0);
    TestNode node = null;
    try {
      node = TestNode.start(Map.of(Setting.KAFKA_BOOTSTRAP.key(), kafka.bootstrap()));
      String url = "http://127.0.0.1:" + node.node().context().lifecycle().httpPort() + "/health";

      HttpResponse<String> up = get(url);
      assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
      JsonNode checks = byId(Json.fromString(up.body(), JsonNode.class));
      assertThat(checks.at("/kafka/status").asText()).isEqualTo("UP");
      assertThat(checks.at("/kafka/data/brokers").asInt()).isEqualTo(1);
      assertThat(checks.at("/hazelcast/status").asText()).isEqualTo("UP");
      assertThat(checks.at("/hazelcast/data/members").asInt()).isEqualTo(1);
      assertThat(checks.at("/hazelcast/data/cluster_state").asText()).isEqualTo("ACTIVE");

      kafka.stop();
      kafka = null;
      String[] last = new String[1];
      Await.until("/health reports kafka DOWN", Duration.ofSeconds(30), () -> {
        try {
          HttpResponse<String> r = get(url);
          last[0] = r.statusCode() + " " + r.body();
          return r.statusCode() == 503
              && "DOWN".equals(byId(Json.fromString(r.body(), JsonNode.class)).at("/kafka/status").asText());
        } catch (Exception e) {
          return false;
        }
      });
      JsonNode down = byId(Json.fromString(last[0].substring(4), JsonNode.class));
      assertThat(down.at("/kafka/data/reason").asText()).isNotBlank();
      assertThat(down.at("/hazelcast/status").asText()).as("Hazelcast is still fine").isEqualTo("UP");
      node.assertNoBlockedEventLoop();
    } finally {
      if (node != null) {
        node.close();
      }
      if (kafka != null) {
        kafka.stop();
      }
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  // vertx-health-check's {checks: [{id, status, data}]} by id
  private static JsonNode byId(JsonNode health) {
    var out = Json.object();
    health.path("checks").forEach(c -> out.set(c.path("id").asText(), c));
    return out;
  }
}
