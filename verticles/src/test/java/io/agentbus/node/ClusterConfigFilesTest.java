package io.agentbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.RestEndpointGroup;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.agentbus.config.HostPort;
import io.agentbus.testing.TestNode;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped Hazelcast configuration loads with Hazelcast's XML builder (schema-checked) and has what a node needs. */
class ClusterConfigFilesTest {

  private static final List<String> MAPS = List.of("__vertx.haInfo", "__vertx.nodeInfo", "agentbus.tasks",
      "agentbus.idempotency", "agentbus.recovery", "agentbus.tool-ledger", "agentbus.sessions", "agentbus.sessions.lines");

  static Stream<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(dir())) {
      List<Path> xml = files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
      assertThat(xml).extracting(f -> f.getFileName().toString())
          .contains("single-node.xml", "tcp-ip.xml", "tcp-ip-quorum.xml", "kubernetes.xml");
      return xml.stream();
    }
  }

  private static Path dir() {
    return TestNode.projectRoot().resolve("cluster-config");
  }

  private static Config load(String name) throws IOException {
    return new FileSystemXmlConfig(dir().resolve(name).toFile());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  @DisplayName("each file has the Vert.x and agentbus structures of single-node.xml, the required properties and REST health")
  void requiredStructures(Path file) throws IOException {
    Config config = new FileSystemXmlConfig(file.toFile());
    Config reference = load("single-node.xml");
    MultiMapConfig subs = config.getMultiMapConfigs().get("__vertx.subs");
    assertThat(subs).as("__vertx.subs").isNotNull();
    assertThat(subs.getBackupCount()).isEqualTo(1);
    assertThat(subs.getValueCollectionType()).isEqualTo(MultiMapConfig.ValueCollectionType.SET);
    for (String name : MAPS) {
      MapConfig map = config.getMapConfigs().get(name);
      MapConfig expected = reference.getMapConfigs().get(name);
      assertThat(map).as(name).isNotNull();
      assertThat(map.getBackupCount()).as(name).isEqualTo(expected.getBackupCount());
      assertThat(map.getInMemoryFormat()).as(name).isEqualTo(expected.getInMemoryFormat());
      assertThat(map.getEvictionConfig()).as(name).isEqualTo(expected.getEvictionConfig());
    }
    assertThat(config.getMapConfigs().get("agentbus.tasks").getInMemoryFormat()).isEqualTo(InMemoryFormat.BINARY);
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getClusterName()).isEqualTo("agentbus");
    var rest = config.getNetworkConfig().getRestApiConfig();
    assertThat(rest.isEnabled()).isTrue();
    assertThat(rest.getEnabledGroups()).contains(RestEndpointGroup.HEALTH_CHECK, RestEndpointGroup.CLUSTER_READ);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  @DisplayName("every file but single-node.xml removes a silent member within 4 s: heartbeat 1 s, deadline 3 s")
  void fastFailureDetection(Path file) throws IOException {
    Config config = new FileSystemXmlConfig(file.toFile());
    if (file.getFileName().toString().equals("single-node.xml")) {
      assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
      return;
    }
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty(MemberConfig.MAX_NO_HEARTBEAT)).isEqualTo("3");
    assertThat(config.getProperty("hazelcast.heartbeat.failuredetector.type")).isEqualTo("deadline");
  }

  @Test
  @DisplayName("tcp-ip.xml lists each member as host:port, no ranges, and binds to loopback")
  void tcpIpMemberList() throws IOException {
    for (String name : List.of("tcp-ip.xml", "tcp-ip-quorum.xml")) {
      Config config = load(name);
      var tcpIp = config.getNetworkConfig().getJoin().getTcpIpConfig();
      assertThat(tcpIp.isEnabled()).as(name).isTrue();
      assertThat(tcpIp.getMembers()).as(name).hasSize(3)
          .allSatisfy(member -> assertThat(HostPort.parse(member).host()).isEqualTo("127.0.0.1"));
      assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
      assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    }
  }

  @Test
  @DisplayName("kubernetes.xml discovers members through the Kubernetes API by service name, and nothing else")
  void kubernetes() throws IOException {
    var join = load("kubernetes.xml").getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("agentbus-hazelcast");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
  }

  @Test
  @DisplayName("kubernetes.xml's service name yields to hazelcast.kubernetes.service-name, as docs/cluster.md says")
  void kubernetesServiceNameOverride() throws Exception {
    Map<String, Comparable<?>> properties = new HashMap<>(load("kubernetes.xml").getNetworkConfig().getJoin()
        .getKubernetesConfig().getProperties());
    // what a pod would have; Hazelcast reads them when discovery starts
    properties.putAll(Map.of("namespace", "agentbus", "api-token", "token", "ca-certificate", "cert",
        "kubernetes-master", "https://127.0.0.1:1"));
    Constructor<?> resolved = Class.forName("com.hazelcast.kubernetes.KubernetesConfig").getDeclaredConstructor(Map.class);
    resolved.setAccessible(true);
    assertThat(resolved.newInstance(properties).toString()).contains("service-name: agentbus-hazelcast");
    System.setProperty("hazelcast.kubernetes.service-name", "agentbus-blue");
    try {
      assertThat(resolved.newInstance(properties).toString()).contains("service-name: agentbus-blue");
    } finally {
      System.clearProperty("hazelcast.kubernetes.service-name");
    }
  }

  @Test
  @DisplayName("tcp-ip-quorum.xml protects the agentbus maps with a 2-member quorum and names their merge policies")
  void splitBrainProtection() throws IOException {
    Config config = load("tcp-ip-quorum.xml");
    SplitBrainProtectionConfig quorum = config.getSplitBrainProtectionConfig("agentbus-majority");
    assertThat(quorum.isEnabled()).isTrue();
    assertThat(quorum.getMinimumClusterSize()).isEqualTo(2);
    assertThat(quorum.getProtectOn()).isEqualTo(SplitBrainProtectionOn.READ_WRITE);
    MapConfig tasks = config.getMapConfig("agentbus.tasks");
    MapConfig keys = config.getMapConfig("agentbus.idempotency");
    assertThat(tasks.getSplitBrainProtectionName()).isEqualTo("agentbus-majority");
    assertThat(keys.getSplitBrainProtectionName()).isEqualTo("agentbus-majority");
    assertThat(tasks.getMergePolicyConfig().getPolicy()).endsWith("LatestUpdateMergePolicy");
    assertThat(tasks.isPerEntryStatsEnabled()).as("LatestUpdateMergePolicy needs per-entry statistics").isTrue();
    assertThat(keys.getMergePolicyConfig().getPolicy()).endsWith("PutIfAbsentMergePolicy");
    MapConfig ledger = config.getMapConfig("agentbus.tool-ledger");
    assertThat(ledger.getSplitBrainProtectionName()).isEqualTo("agentbus-majority");
    assertThat(ledger.getMergePolicyConfig().getPolicy()).endsWith("PutIfAbsentMergePolicy");
    for (String name : List.of("agentbus.sessions", "agentbus.sessions.lines")) {
      MapConfig sessions = config.getMapConfig(name);
      assertThat(sessions.getSplitBrainProtectionName()).as(name).isEqualTo("agentbus-majority");
      assertThat(sessions.getMergePolicyConfig().getPolicy()).as(name).endsWith("LatestUpdateMergePolicy");
      assertThat(sessions.isPerEntryStatsEnabled()).as(name).isTrue();
    }
    assertThat(config.getMapConfig("__vertx.nodeInfo").getSplitBrainProtectionName()).isNull();
  }
}
