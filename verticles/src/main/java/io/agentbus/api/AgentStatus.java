package io.agentbus.api;

/** An agent with its load: {@code inFlight = dispatched - completed}. */
public record AgentStatus(AgentDescriptor agent, long dispatched, long completed) {

  public long inFlight() {
    return dispatched - completed;
  }
}
