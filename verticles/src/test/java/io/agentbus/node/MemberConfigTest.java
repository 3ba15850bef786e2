package io.agentbus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.agentbus.api.Json;
import io.agentbus.api.MemberAttributes;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import io.agentbus.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberConfigTest {

  private static NodeConfig settings(String file, Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(Map.of(
        Setting.CLUSTER_CONFIG.key(), TestNode.projectRoot().resolve("cluster-config/" + file).toString(),
        Setting.CLUSTER_PORT.key(), "0",
        Setting.CLUSTER_NAME.key(), "test-" + UUID.randomUUID()));
    all.putAll(more);
    return NodeConfig.load(List.of(), Map.of(), all);
  }

  @Test
  @DisplayName("cluster.join replaces the file's discovery with a TCP-IP join of exactly the listed members")
  void joinReplacesDiscovery() throws Exception {
    Config config = MemberConfig.of(settings("kubernetes.xml",
        Map.of(Setting.CLUSTER_JOIN.key(), "127.0.0.1:15801,127.0.0.1:15802")), "n1");
    var join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:15801", "127.0.0.1:15802");
    join.verify();
  }

  @Test
  @DisplayName("without cluster.join the file's member list stays")
  void fileJoinStays() throws Exception {
    Config config = MemberConfig.of(settings("tcp-ip.xml", Map.of()), "n1");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
  }

  @Test
  @DisplayName("the member binds to cluster.host alone and publishes the node id, roles and HTTP address")
  void bindingAndAttributes() throws Exception {
    Config config = MemberConfig.of(settings("tcp-ip.xml", Map.of(Setting.NODE_ROLES.key(), "scheduler,gateway",
        Setting.HTTP_PORT.key(), "18080")), "n1");
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getNetworkConfig().getPort()).isPositive();
    assertThat(config.getMemberAttributeConfig().getAttributes()).containsEntry(MemberAttributes.NODE_ID, "n1")
        .containsEntry(MemberAttributes.ROLES, "gateway,scheduler")
        .containsEntry(MemberAttributes.HTTP, "http://127.0.0.1:18080");

    Config noGateway = MemberConfig.of(settings("tcp-ip.xml", Map.of(Setting.NODE_ROLES.key(), "agents")), "n2");
    assertThat(noGateway.getMemberAttributeConfig().getAttributes()).containsEntry(MemberAttributes.ROLES, "agents")
        .doesNotContainKey(MemberAttributes.HTTP);
  }

  @Test
  @DisplayName("a running member answers /hazelcast/health over HTTP, and alone it is below the quorum of tcp-ip-quorum.xml")
  void runningMember() throws Exception {
    int port = FreePorts.pick();
    Config config = MemberConfig.of(settings("tcp-ip-quorum.xml", Map.of(Setting.CLUSTER_PORT.key(), String.valueOf(port),
        Setting.CLUSTER_JOIN.key(), "127.0.0.1:" + port)), "solo");
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/hazelcast/health")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(health.body());
      assertThat(body.path("nodeState").asText()).isEqualTo("ACTIVE");
      assertThat(body.path("clusterSize").asInt()).isEqualTo(1);
      assertThat(member.getCluster().getLocalMember().getAttribute(MemberAttributes.NODE_ID)).isEqualTo("solo");
      assertThatThrownBy(() -> member.getMap("agentbus.tasks").put("k", "v"))
          .isInstanceOf(SplitBrainProtectionException.class);
      member.getMap("unprotected").put("k", "v");
    } finally {
      member.shutdown();
    }
  }
}
