package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostAllowListTest {

  @Test
  @DisplayName("A bare host allows any port; host:port only that port")
  void ports() {
    HostAllowList list = HostAllowList.parse(List.of("api.example.com", "data.example.com:8443"));

    assertThat(list.allows("api.example.com", 80)).isTrue();
    assertThat(list.allows("api.example.com", 9999)).isTrue();
    assertThat(list.allows("data.example.com", 8443)).isTrue();
    assertThat(list.allows("data.example.com", 443)).isFalse();
  }

  @Test
  @DisplayName("Names match exactly, ignoring case: no suffixes, prefixes or subdomains")
  void exactNames() {
    HostAllowList list = HostAllowList.parse(List.of("Example.COM"));

    assertThat(list.allows("example.com", 443)).isTrue();
    assertThat(list.allows("EXAMPLE.com", 443)).isTrue();
    assertThat(list.allows("api.example.com", 443)).isFalse();
    assertThat(list.allows("example.com.evil.net", 443)).isFalse();
    assertThat(list.allows("evilexample.com", 443)).isFalse();
    assertThat(list.allows(null, 443)).isFalse();
  }

  @Test
  @DisplayName("IPv6 literals, bracketed or not, match the bracketed form URIs use")
  void ipv6() {
    HostAllowList list = HostAllowList.parse(List.of("[::1]:8080", "fe80::2"));

    assertThat(list.allows("[::1]", 8080)).isTrue();
    assertThat(list.allows("[::1]", 8081)).isFalse();
    assertThat(list.allows("[fe80::2]", 1)).isTrue();
  }

  @Test
  @DisplayName("An empty list allows nothing")
  void empty() {
    HostAllowList list = HostAllowList.parse(List.of());

    assertThat(list.isEmpty()).isTrue();
    assertThat(list.allows("127.0.0.1", 80)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"host:", "host:0", "host:65536", "host:http", "[::1", "[::1]x", "a/b", "user@host", ":80"})
  @DisplayName("Malformed entries fail loudly, naming the entry and the setting")
  void malformed(String entry) {
    assertThatThrownBy(() -> HostAllowList.parse(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tools.http-get.allow-hosts")
        .hasMessageContaining("'" + entry + "'");
  }
}
