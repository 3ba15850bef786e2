package io.agentbus.node;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The components a node can run (membership always runs). */
public enum Role {
  GATEWAY, SCHEDULER, TOOL_EXECUTOR, OBSERVER, AGENTS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code gateway,scheduler,...}; an unknown name is an error naming the known ones. */
  public static Set<Role> parse(List<String> names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      Role match = null;
      for (Role r : values()) {
        if (r.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          match = r;
        }
      }
      if (match == null) {
        throw new IllegalArgumentException("unknown role '" + name + "'; known roles: gateway, scheduler, tool-executor, observer, agents");
      }
      roles.add(match);
    }
    return roles;
  }
}
