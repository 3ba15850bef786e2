package io.agentbus.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.agentbus.api.MemberAttributes;
import io.agentbus.config.ConfigException;
import io.agentbus.config.HostPort;
import io.agentbus.config.NodeConfig;
import io.agentbus.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Hazelcast member configuration: the file named by {@code cluster.config} (loaded with Hazelcast's loader,
 * so its {@code HZ_*} environment and {@code hz.*} system property overrides apply), with the node's settings on
 * top: cluster name, port and interface, the TCP-IP member list of {@code cluster.join}, the node's
 * {@link MemberAttributes} and the idempotency time-to-live.
 */
final class MemberConfig {

  private static final Logger LOG = LoggerFactory.getLogger(MemberConfig.class);
  static final String MAX_NO_HEARTBEAT = "hazelcast.max.no.heartbeat.seconds";

  private MemberConfig() {
  }

  /** The configuration for node {@code nodeId}; {@code http.port} should already be a concrete port. */
  static Config of(NodeConfig config, String nodeId) throws IOException {
    Path file = HomePaths.existing(config.get(Setting.CLUSTER_CONFIG));
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(Setting.CLUSTER_CONFIG.key() + ": no Hazelcast configuration at " + file);
    }
    Config hz = Config.loadFromFile(file.toFile());
    hz.setClusterName(config.get(Setting.CLUSTER_NAME));
    hz.setInstanceName("agentbus-" + nodeId);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = hz.getNetworkConfig();
    int port = config.getInt(Setting.CLUSTER_PORT);
    network.setPort(port == 0 ? FreePorts.pick() : port).setPortAutoIncrement(false);
    String host = config.get(Setting.CLUSTER_HOST);
    if (!host.equals("0.0.0.0")) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      // listen on that interface only, not on every interface as Hazelcast does by default
      hz.setProperty("hazelcast.socket.bind.any", "false");
    }
    List<HostPort> join = config.joinMembers();
    if (!join.isEmpty()) {
      joinByTcpIp(network.getJoin(), join);
      if (hz.getProperty(MAX_NO_HEARTBEAT) == null && System.getProperty(MAX_NO_HEARTBEAT) == null) {
        LOG.warn("{} is set but {} sets no failure detection: a dead member is noticed after Hazelcast's default"
            + " of 60 s; cluster-config/tcp-ip.xml notices it within 5 s", Setting.CLUSTER_JOIN.key(), file);
      }
    }
    setAttributes(hz, config, nodeId);
    hz.getMapConfig("agentbus.idempotency").setTimeToLiveSeconds(
        (int) Math.max(1, config.getLong(Setting.TASKS_IDEMPOTENCY_TTL_MS) / 1000));
    return hz;
  }

  // exactly these members, whatever discovery the file configured
  private static void joinByTcpIp(JoinConfig join, List<HostPort> members) {
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.setDiscoveryConfig(new DiscoveryConfig());
    join.getTcpIpConfig().setEnabled(true)
        .setMembers(members.stream().map(HostPort::toString).collect(Collectors.toList()));
  }

  private static void setAttributes(Config hz, NodeConfig config, String nodeId) {
    Set<Role> roles = Role.parse(config.getList(Setting.NODE_ROLES));
    var attributes = hz.getMemberAttributeConfig();
    attributes.setAttribute(MemberAttributes.NODE_ID, nodeId);
    attributes.setAttribute(MemberAttributes.ROLES,
        roles.stream().map(Role::wireName).collect(Collectors.joining(",")));
    if (roles.contains(Role.GATEWAY)) {
      String httpHost = config.get(Setting.HTTP_HOST);
      // a gateway on every interface is reached on the address the cluster knows this node by
      String advertised = httpHost.equals("0.0.0.0") ? config.get(Setting.CLUSTER_HOST) : httpHost;
      attributes.setAttribute(MemberAttributes.HTTP, "http://" + advertised + ":" + config.getInt(Setting.HTTP_PORT));
    }
  }
}
