package io.agentbus.api;

import java.util.List;

/** Every tool a node offers. */
public record ToolList(List<ToolDescriptor> tools) {

  public ToolList {
    tools = List.copyOf(tools);
  }
}
