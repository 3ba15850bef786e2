package io.agentbus.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;

/** A Hazelcast member's REST health endpoint ({@code /hazelcast/health}), read with a plain HTTP client. */
final class MemberHealth {

  private MemberHealth() {
  }

  /** The member's health document: nodeState, clusterState, clusterSafe, migrationQueueSize, clusterSize. */
  static JsonNode read(String memberAddress) throws IOException, InterruptedException {
    Api.Reply reply = new Api("http://" + memberAddress).get("/hazelcast/health");
    if (reply.status() != 200) {
      throw new IOException("/hazelcast/health of " + memberAddress + " answered " + reply.status());
    }
    return Api.JSON.readTree(reply.raw().body());
  }

  /**
   * Waits until the member reports {@code size} members and returns how long that took; fails after {@code bound}
   * with the last size seen.
   */
  static Duration awaitClusterSize(String memberAddress, int size, Duration bound) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    String last = "nothing";
    while (System.nanoTime() < deadline) {
      try {
        JsonNode health = read(memberAddress);
        if (health.path("clusterSize").asInt() == size) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
        last = health.toString();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(20);
    }
    throw new AssertionError(memberAddress + " did not report " + size + " members within " + bound + "; last: " + last);
  }
}
