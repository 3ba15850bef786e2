package io.agentbus.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A table of tasks: id, type, state, attempt, age and agent, columns as wide as their widest cell. */
final class TaskTable {

  private static final String[] HEADER = {"ID", "TYPE", "STATE", "ATTEMPT", "AGE", "AGENT"};

  private TaskTable() {
  }

  static void print(PrintWriter out, JsonNode tasks, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode t : tasks) {
      rows.add(new String[]{t.path("id").asText(), t.path("agent_type").asText(), t.path("state").asText(),
          t.path("attempt").asText(), Ages.since(t.path("created_at").asText(null), now), t.path("agent_id").asText("-")});
    }
    int[] widths = new int[HEADER.length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
      }
      out.println(line);
    }
    if (rows.size() == 1) {
      out.println("(no tasks)");
    }
    out.flush();
  }
}
