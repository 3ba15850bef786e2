package io.agentbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code agentbus cluster}: N node processes and one Kafka, started, used and stopped as a user would. */
class ClusterSystemTest {

  @Test
  @DisplayName("cluster --nodes 3 forms one Hazelcast cluster that serves on every node, and SIGTERM stops every process with exit 0")
  void threeNodes() throws Exception {
    try (ClusterProcess cluster = ClusterProcess.start(3, Duration.ofSeconds(120))) {
      List<ClusterProcess.Member> members = cluster.members();
      assertThat(members).extracting(ClusterProcess.Member::name).containsExactly("node-1", "node-2", "node-3");
      assertThat(cluster.kafkaBootstrap()).startsWith("127.0.0.1:");

      for (ClusterProcess.Member member : members) {
        MemberHealth.awaitClusterSize(member.member(), 3, Duration.ofSeconds(10));
        JsonNode health = MemberHealth.read(member.member());
        assertThat(health.path("nodeState").asText()).as(member.name()).isEqualTo("ACTIVE");
        assertThat(new Api(member.url()).get("/ready").status()).as(member.name() + " /ready").isEqualTo(200);
      }
      Api node2 = new Api(members.get(1).url());
      Api.Reply done = node2.submit("echo", "{\"via\":\"node-2\"}", "?wait=10");
      assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
      assertThat(done.json().path("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(done.json().path("result").path("via").asText()).isEqualTo("node-2");

      List<ProcessHandle> processes = cluster.descendants();
      assertThat(processes).extracting(ProcessHandle::pid)
          .containsAll(members.stream().map(ClusterProcess.Member::pid).toList());
      int exit = cluster.terminate(Duration.ofSeconds(90));
      assertThat(exit).as(cluster.output()).isZero();
      assertThat(processes).as("processes still running after the cluster command exited")
          .noneMatch(ProcessHandle::isAlive);
      assertThat(cluster.output()).contains("[node-1] ", "[node-2] ", "[node-3] ", "node node-2 stopped",
          "agentbus cluster: stopped").doesNotContain("!!!");
    }
  }
}
