package io.agentbus.api;

/** An agent with its load: {@code inFlight = dispatched - completed}. */
public record AgentStatus(AgentDescriptor agent, long dispatched, long completed) {

  @com.fasterxml.jackson.annotation.JsonProperty("in_flight")
  public long inFlight() {
    return dispatched - completed;
  }
}
