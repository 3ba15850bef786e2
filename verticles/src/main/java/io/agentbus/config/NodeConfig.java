package io.agentbus.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A node's settings, resolved from (lowest first) the defaults in {@link Setting}, configuration files, the
 * environment ({@code AGENTBUS_*}) and explicit overrides. Unknown keys and malformed values are errors, so a
 * setting spelled wrong never silently does nothing. Immutable.
 *
 * <p>Written by hand rather than with vertx-config because the node's settings (ports, the cluster manager) are
 * needed before a Vertx instance exists.
 */
public final class NodeConfig {

  /** Environment variables with the AGENTBUS_ prefix that are not settings (read by the launcher script). */
  private static final List<String> NOT_SETTINGS = List.of("AGENTBUS_HOME", "AGENTBUS_JAVA_OPTS", "AGENTBUS_REBUILD",
      "AGENTBUS_NO_BUILD", "AGENTBUS_LOG_DIR", "AGENTBUS_URL");

  private final Map<Setting, String> values;

  private NodeConfig(Map<Setting, String> values) {
    this.values = values;
  }

  public static NodeConfig defaults() {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue());
    }
    return new NodeConfig(values);
  }

  /**
   * Resolves settings from the given files (missing files are skipped), then the environment, then overrides.
   *
   * @throws ConfigException on an unknown key or a malformed value
   */
  public static NodeConfig load(List<Path> files, Map<String, String> env, Map<String, String> overrides) {
    NodeConfig config = defaults();
    for (Path file : files) {
      if (Files.isRegularFile(file)) {
        config = config.withAll(readProperties(file), file.toString());
      }
    }
    Map<String, String> fromEnv = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("AGENTBUS_") || NOT_SETTINGS.contains(name)) {
        continue;
      }
      Setting s = Setting.ofEnvName(name);
      if (s == null) {
        throw new ConfigException("unknown environment variable " + name + suggestion(name, true));
      }
      fromEnv.put(s.key(), e.getValue());
    }
    config = config.withAll(fromEnv, "environment");
    return config.withAll(overrides, "command line");
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> m = new java.util.LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return m;
  }

  /** A copy with {@code key = value} applied for each entry; {@code origin} names where they came from in errors. */
  public NodeConfig withAll(Map<String, String> entries, String origin) {
    Map<Setting, String> next = new EnumMap<>(values);
    for (Map.Entry<String, String> e : entries.entrySet()) {
      Setting s = Setting.ofKey(e.getKey());
      if (s == null) {
        throw new ConfigException("unknown setting '" + e.getKey() + "' in " + origin + suggestion(e.getKey(), false));
      }
      next.put(s, e.getValue());
    }
    NodeConfig config = new NodeConfig(next);
    config.validate(origin);
    return config;
  }

  public NodeConfig with(Setting setting, Object value) {
    return withAll(Map.of(setting.key(), String.valueOf(value)), "code");
  }

  private void validate(String origin) {
    for (Setting s : Setting.values()) {
      String v = values.get(s);
      if (isNumeric(s.defaultValue()) && !isNumeric(v)) {
        throw new ConfigException(s.key() + " must be a whole number, was '" + v + "' (from " + origin + ")");
      }
      if (isBoolean(s.defaultValue()) && !isBoolean(v)) {
        throw new ConfigException(s.key() + " must be true or false, was '" + v + "' (from " + origin + ")");
      }
    }
    String mode = get(Setting.KAFKA_CLOUDEVENTS_MODE);
    if (!mode.equals("structured") && !mode.equals("binary")) {
      throw new ConfigException(Setting.KAFKA_CLOUDEVENTS_MODE.key() + " must be structured or binary, was '" + mode + "'");
    }
    joinMembers(origin);
  }

  /** {@code cluster.join} as addresses, each validated. */
  public List<HostPort> joinMembers() {
    return joinMembers("settings");
  }

  private List<HostPort> joinMembers(String origin) {
    List<HostPort> members = new ArrayList<>();
    for (String entry : getList(Setting.CLUSTER_JOIN)) {
      try {
        members.add(HostPort.parse(entry));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Setting.CLUSTER_JOIN.key() + ": " + e.getMessage() + " (from " + origin + ")");
      }
    }
    return members;
  }

  private static boolean isNumeric(String v) {
    return v != null && v.matches("-?\\d{1,18}");
  }

  private static boolean isBoolean(String v) {
    return "true".equals(v) || "false".equals(v);
  }

  private static String suggestion(String wrong, boolean env) {
    Setting best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting s : Setting.values()) {
      int d = distance(wrong, env ? s.envName() : s.key());
      if (d < bestDistance) {
        bestDistance = d;
        best = s;
      }
    }
    if (best == null || bestDistance > 4) {
      return "";
    }
    return "; did you mean " + (env ? best.envName() : best.key()) + "?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  public String get(Setting s) {
    return values.get(s);
  }

  public int getInt(Setting s) {
    return Integer.parseInt(values.get(s));
  }

  public long getLong(Setting s) {
    return Long.parseLong(values.get(s));
  }

  public boolean getBoolean(Setting s) {
    return Boolean.parseBoolean(values.get(s));
  }

  /** A comma-separated setting as a list, blanks dropped. */
  public List<String> getList(Setting s) {
    List<String> out = new ArrayList<>();
    Arrays.stream(values.get(s).split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
    return out;
  }

  /** Every setting and its value, in declaration order. */
  public Map<Setting, String> asMap() {
    return new EnumMap<>(values);
  }
}
