package io.agentbus.agents;

import io.agentbus.config.NodeConfig;
import io.agentbus.config.NodeContext;
import io.agentbus.config.Setting;
import java.util.ArrayList;
import java.util.List;

/** The reference agents a node with the {@code agents} role runs, as configured by {@code agents.*}. */
public final class BuiltinAgents {

  private BuiltinAgents() {
  }

  public static List<AgentVerticle> create(NodeContext node) {
    NodeConfig c = node.config();
    List<AgentVerticle> agents = new ArrayList<>();
    for (int i = 1; i <= c.getInt(Setting.AGENTS_ECHO_INSTANCES); i++) {
      agents.add(new EchoAgent("echo-" + node.nodeId() + "-" + i, node.nodeId(), c.getInt(Setting.AGENTS_ECHO_CAPACITY),
          c.getInt(Setting.AGENTS_ECHO_STEPS), c.getLong(Setting.AGENTS_ECHO_STEP_DELAY_MS)));
    }
    for (int i = 1; i <= c.getInt(Setting.AGENTS_PLANNER_INSTANCES); i++) {
      agents.add(new PlannerAgent("planner-" + node.nodeId() + "-" + i, node.nodeId(),
          c.getInt(Setting.AGENTS_PLANNER_CAPACITY), c.getLong(Setting.AGENTS_PLANNER_STEP_DELAY_MS)));
    }
    for (int i = 1; i <= c.getInt(Setting.AGENTS_STREAMER_INSTANCES); i++) {
      agents.add(new StreamerAgent("streamer-" + node.nodeId() + "-" + i, node.nodeId(),
          c.getInt(Setting.AGENTS_STREAMER_CAPACITY)));
    }
    for (int i = 1; i <= c.getInt(Setting.AGENTS_SAGA_INSTANCES); i++) {
      agents.add(new SagaAgent("saga-" + node.nodeId() + "-" + i, node.nodeId(), c.getInt(Setting.AGENTS_SAGA_CAPACITY)));
    }
    return agents;
  }
}
