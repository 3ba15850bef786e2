package io.agentbus.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbus.api.Json;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The entry processors that make the recovery checkpoints a fence between a node and its adopters. */
class RecoveryCheckpointsTest {

  private static final long NOW = 1_000_000;
  private static final long MIN_AGE = 6_000;

  private static String checkpoint(String node, long atClusterMs, String adoptingBy, Map<Integer, Long> marks) {
    var json = Json.object().put("node", node).put("at_cluster_ms", atClusterMs);
    if (adoptingBy != null) {
      json.put("adopting_by", adoptingBy);
    }
    var m = json.putObject("marks");
    marks.forEach((p, o) -> m.put(Integer.toString(p), o));
    return json.toString();
  }

  private static Map.Entry<String, String> entry(String key, String value) {
    return new AbstractMap.SimpleEntry<>(key, value);
  }

  private static String claim(Map.Entry<String, String> e, String claimant, Set<String> live) {
    return new RecoveryCheckpoints.Claim(claimant, live, NOW, MIN_AGE).process(e);
  }

  private static String holder(Map.Entry<String, String> e) throws Exception {
    return Json.MAPPER.readTree(e.getValue()).path("adopting_by").asText(null);
  }

  @Test
  @DisplayName("a survivor claims the checkpoint of a lost node once it is older than the lease and margin")
  void claimsAnOldCheckpoint() throws Exception {
    String old = checkpoint("nodeb", NOW - MIN_AGE, null, Map.of(0, 7L));
    Map.Entry<String, String> e = entry("nodeb", old);
    assertThat(claim(e, "nodea", Set.of("nodea", "nodec"))).isEqualTo(old);
    assertThat(holder(e)).isEqualTo("nodea");
    assertThat(claim(e, "nodec", Set.of("nodea", "nodec"))).as("nodea, live, holds it").isNull();
    assertThat(claim(e, "nodea", Set.of("nodea", "nodec"))).as("its holder may claim it again").isNotNull();
    assertThat(claim(e, "nodec", Set.of("nodec"))).as("a holder that is gone holds nothing").isNotNull();
    assertThat(holder(e)).isEqualTo("nodec");
  }

  @Test
  @DisplayName("nobody claims the checkpoint of a node that is a member again, or one it renewed within the lease")
  void refusesLiveOrFreshCheckpoints() {
    String fresh = checkpoint("nodeb", NOW - MIN_AGE + 1, null, Map.of(0, 7L));
    Map.Entry<String, String> e = entry("nodeb", fresh);
    assertThat(claim(e, "nodea", Set.of("nodea"))).isNull();
    assertThat(e.getValue()).isEqualTo(fresh);
    String old = checkpoint("nodeb", NOW - 60_000, null, Map.of(0, 7L));
    Map.Entry<String, String> back = entry("nodeb", old);
    assertThat(claim(back, "nodea", Set.of("nodea", "nodeb"))).isNull();
    assertThat(back.getValue()).isEqualTo(old);
    assertThat(claim(entry("nodeb", null), "nodea", Set.of("nodea"))).isNull();
  }

  @Test
  @DisplayName("a node does not renew a checkpoint a live survivor is taking over, and does once that one is gone")
  void renewalIsFencedByALiveClaim() {
    String claimed = checkpoint("nodeb", NOW - 60_000, "nodea", Map.of(0, 7L));
    Map.Entry<String, String> e = entry("nodeb", claimed);
    String mine = checkpoint("nodeb", NOW, null, Map.of(0, 9L));
    RecoveryCheckpoints.Renewal fenced = new RecoveryCheckpoints.Renew(mine, "nodeb", Set.of("nodea", "nodeb"), false)
        .process(e);
    assertThat(fenced.fencedBy()).isEqualTo("nodea");
    assertThat(e.getValue()).isEqualTo(claimed);
    RecoveryCheckpoints.Renewal written = new RecoveryCheckpoints.Renew(mine, "nodeb", Set.of("nodeb"), false)
        .process(e);
    assertThat(written.fencedBy()).isNull();
    assertThat(e.getValue()).isEqualTo(mine);
  }

  @Test
  @DisplayName("taking a checkpoint back returns the old marks and keeps the lower of old and new until renewed")
  void takeBackKeepsTheOldMarks() throws Exception {
    Map.Entry<String, String> e = entry("nodeb", checkpoint("nodeb", NOW - 60_000, null, Map.of(0, 7L, 1, 30L)));
    String mine = checkpoint("nodeb", NOW, null, Map.of(0, 9L, 1, 20L, 2, 5L));
    RecoveryCheckpoints.Renewal r = new RecoveryCheckpoints.Renew(mine, "nodeb", Set.of("nodeb"), true).process(e);
    assertThat(r.fencedBy()).isNull();
    assertThat(r.previous()).containsOnly(Map.entry(0, 7L), Map.entry(1, 30L));
    var stored = Json.MAPPER.readTree(e.getValue());
    assertThat(stored.path("at_cluster_ms").asLong()).isEqualTo(NOW);
    assertThat(stored.path("marks").path("0").asLong()).isEqualTo(7L);
    assertThat(stored.path("marks").path("1").asLong()).isEqualTo(20L);
    assertThat(stored.path("marks").path("2").asLong()).isEqualTo(5L);

    Map.Entry<String, String> none = entry("nodeb", null);
    assertThat(new RecoveryCheckpoints.Renew(mine, "nodeb", Set.of("nodeb"), true).process(none).previous()).isNull();
    assertThat(none.getValue()).isEqualTo(mine);
  }

  @Test
  @DisplayName("only the survivor that holds the claim deletes the checkpoint when it is done")
  void releaseOnlyByTheHolder() {
    String claimed = checkpoint("nodeb", NOW - 60_000, "nodec", Map.of(0, 7L));
    Map.Entry<String, String> e = entry("nodeb", claimed);
    assertThat(new RecoveryCheckpoints.Release("nodea").process(e)).isFalse();
    assertThat(e.getValue()).isEqualTo(claimed);
    assertThat(new RecoveryCheckpoints.Release("nodec").process(e)).isTrue();
    assertThat(e.getValue()).isNull();
  }
}
