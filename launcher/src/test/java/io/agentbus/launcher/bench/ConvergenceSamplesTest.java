package io.agentbus.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConvergenceSamplesTest {

  @Test
  @DisplayName("convergence runs until the last node saw a registration; one hop counts each other node")
  void convergenceIsTheLastSighting() {
    JsonObject registered = new JsonObject().put("x-1", 1_000L).put("x-2", 2_000L);
    JsonObject origin = new JsonObject().put("x-1", 1_100L).put("x-2", 2_050L);
    JsonObject b = new JsonObject().put("x-1", 3_000L).put("x-2", 2_500L);
    JsonObject c = new JsonObject().put("x-1", 2_000L);

    ConvergenceSamples samples = new ConvergenceSamples();
    samples.add(registered, List.of(origin, b, c), 0);

    assertThat(samples.everyNode().count()).isEqualTo(1);
    assertThat(samples.everyNode().max()).isBetween(1_999L, 2_001L);
    assertThat(samples.oneHop().count()).isEqualTo(3);
    assertThat(samples.missing()).as("x-2 never reached c").isEqualTo(1);
  }
}
