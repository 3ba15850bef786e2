package io.agentbus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("settings resolve as defaults < file < environment < overrides")
  void precedence() throws IOException {
    Path file = dir.resolve("a.properties");
    Files.writeString(file, "http.port=9000\nkafka.topic.tasks=from-file\ntasks.queue-limit=5\n");
    NodeConfig config = NodeConfig.load(List.of(file, dir.resolve("missing.properties")),
        Map.of("AGENTBUS_HTTP_PORT", "9100", "AGENTBUS_KAFKA_TOPIC_TASKS", "from-env", "PATH", "/bin",
            "AGENTBUS_HOME", "/opt/agentbus"),
        Map.of("http.port", "9200"));
    assertThat(config.getInt(Setting.HTTP_PORT)).isEqualTo(9200);
    assertThat(config.get(Setting.KAFKA_TOPIC_TASKS)).isEqualTo("from-env");
    assertThat(config.getInt(Setting.TASKS_QUEUE_LIMIT)).isEqualTo(5);
    assertThat(config.get(Setting.HTTP_HOST)).isEqualTo(Setting.HTTP_HOST.defaultValue());
  }

  @Test
  @DisplayName("a misspelled key is an error that suggests the right one, from any source")
  void unknownKeys() throws IOException {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "kafka.bootstrp=x:9092\n");
    assertThatThrownBy(() -> NodeConfig.load(List.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrp").hasMessageContaining("kafka.bootstrap");
    assertThatThrownBy(() -> NodeConfig.load(List.of(), Map.of("AGENTBUS_HTTP_PROT", "1"), Map.of()))
        .hasMessageContaining("AGENTBUS_HTTP_PORT");
    assertThatThrownBy(() -> NodeConfig.load(List.of(), Map.of(), Map.of("no.such.thing", "1")))
        .hasMessageContaining("unknown setting 'no.such.thing'");
  }

  @Test
  @DisplayName("malformed values are errors naming the setting and where the value came from")
  void malformedValues() {
    assertThatThrownBy(() -> NodeConfig.load(List.of(), Map.of("AGENTBUS_HTTP_PORT", "eighty"), Map.of()))
        .hasMessageContaining("http.port must be a whole number").hasMessageContaining("environment");
    assertThatThrownBy(() -> NodeConfig.defaults().with(Setting.KAFKA_RECORD_STREAM_EVENTS, "yes"))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> NodeConfig.defaults().with(Setting.KAFKA_CLOUDEVENTS_MODE, "xml"))
        .hasMessageContaining("structured or binary");
  }

  @Test
  @DisplayName("cluster.join takes host:port entries, each one listed, and refuses anything else naming the entry")
  void joinMembers() {
    NodeConfig config = NodeConfig.defaults().with(Setting.CLUSTER_JOIN, " 127.0.0.1:5701, node-b.example:5702,[::1]:5703");
    assertThat(config.joinMembers()).containsExactly(new HostPort("127.0.0.1", 5701),
        new HostPort("node-b.example", 5702), new HostPort("[::1]", 5703));
    assertThat(NodeConfig.defaults().joinMembers()).isEmpty();
    assertThatThrownBy(() -> NodeConfig.load(List.of(), Map.of("AGENTBUS_CLUSTER_JOIN", "127.0.0.1:5701-5703"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join")
        .hasMessageContaining("port range").hasMessageContaining("environment");
    for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":5701", "a b:5701", "host:port")) {
      assertThatThrownBy(() -> NodeConfig.defaults().with(Setting.CLUSTER_JOIN, "127.0.0.1:5701," + bad))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join: '" + bad + "'");
    }
  }

  @Test
  @DisplayName("conf/agentbus.properties documents every setting with its default, and nothing else")
  void shippedDefaultsMatchTheSettings() throws IOException {
    Path conf = Path.of(System.getProperty("agentbus.project.root", "..")).resolve("conf/agentbus.properties");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(conf)) {
      p.load(r);
    }
    String text = Files.readString(conf);
    for (Setting s : Setting.values()) {
      boolean present = p.containsKey(s.key()) || text.contains("# " + s.key() + "=");
      assertThat(present).as("conf/agentbus.properties mentions " + s.key()).isTrue();
      if (p.containsKey(s.key())) {
        assertThat(p.getProperty(s.key())).as(s.key()).isEqualTo(s.defaultValue());
      }
    }
    for (String key : p.stringPropertyNames()) {
      assertThat(Setting.ofKey(key)).as("known setting " + key).isNotNull();
    }
    NodeConfig.load(List.of(conf), Map.of(), Map.of());
  }

  @Test
  @DisplayName("every shipped profile loads without an unknown key or a malformed value")
  void shippedProfilesLoad() throws IOException {
    Path profiles = Path.of(System.getProperty("agentbus.project.root", "..")).resolve("conf/profiles");
    try (var files = Files.list(profiles)) {
      List<Path> all = files.filter(f -> f.toString().endsWith(".properties")).toList();
      assertThat(all).isNotEmpty();
      for (Path f : all) {
        assertThat(NodeConfig.load(List.of(f), Map.of(), Map.of())).as(f.toString()).isNotNull();
      }
    }
  }
}
