package io.agentbus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterLayoutTest {

  @Test
  @DisplayName("nodes are node-1..node-N on consecutive HTTP and cluster ports, all listed in the join")
  void consecutivePorts() throws Exception {
    ClusterLayout layout = ClusterLayout.of(3, 8080, 9090, 5701);
    assertThat(layout.members()).containsExactly(new ClusterLayout.Member("node-1", 8080, 9090, 5701),
        new ClusterLayout.Member("node-2", 8081, 9091, 5702), new ClusterLayout.Member("node-3", 8082, 9092, 5703));
    assertThat(layout.join()).isEqualTo("127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703");
  }

  @Test
  @DisplayName("base port 0: nodes pick their HTTP and gRPC ports, cluster ports are distinct free ports picked beforehand")
  void freePorts() throws Exception {
    ClusterLayout layout = ClusterLayout.of(4, 0, 0, 0);
    assertThat(layout.members()).extracting(ClusterLayout.Member::httpPort).containsOnly(0);
    assertThat(layout.members()).extracting(ClusterLayout.Member::grpcPort).containsOnly(0);
    assertThat(layout.members()).extracting(ClusterLayout.Member::clusterPort).doesNotHaveDuplicates()
        .allSatisfy(port -> assertThat(port).isPositive());
  }

  @Test
  @DisplayName("no nodes, or ports past 65535, are refused with the option's name")
  void refusals() {
    assertThatThrownBy(() -> ClusterLayout.of(0, 8080, 9090, 5701)).hasMessageContaining("--nodes");
    assertThatThrownBy(() -> ClusterLayout.of(3, 65534, 9090, 5701)).hasMessageContaining("--base-http-port");
    assertThatThrownBy(() -> ClusterLayout.of(3, 8080, 65534, 5701)).hasMessageContaining("--base-grpc-port");
    assertThatThrownBy(() -> ClusterLayout.of(3, 8080, 9090, -1)).hasMessageContaining("--base-cluster-port");
  }

  @Test
  @DisplayName("cluster --help lists the options, up --help the new cluster options")
  void help() {
    CommandRun cluster = CommandRun.of("cluster", "--help");
    assertThat(cluster.exitCode()).isZero();
    assertThat(cluster.out()).contains("--nodes", "--base-http-port", "--base-cluster-port", "--work-dir", "--roles",
        "--stop-timeout");
    assertThat(CommandRun.of("up", "--help").out()).contains("--cluster-config", "--join", "cluster.join");
  }
}
