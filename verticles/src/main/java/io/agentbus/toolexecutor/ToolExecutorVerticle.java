package io.agentbus.toolexecutor;

import io.agentbus.config.NodeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VerticleBase;

/** Placeholder until the tool-executor branch lands. */
public class ToolExecutorVerticle extends VerticleBase {
  public ToolExecutorVerticle(NodeConfig config, MeterRegistry registry) {
  }
}
