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
  @DisplayName("* allows any host; *.domain its subdomains only")
  void wildcards() {
    HostAllowList any = HostAllowList.parse(List.of("*"));
    HostAllowList sub = HostAllowList.parse(List.of("*.example.com:443"));

    assertThat(any.allows("anything.test", 80)).isTrue();
    assertThat(any.allows("[::1]", 80)).isTrue();
    assertThat(sub.allows("api.example.com", 443)).isTrue();
    assertThat(sub.allows("a.b.EXAMPLE.com", 443)).isTrue();
    assertThat(sub.allows("example.com", 443)).isFalse();
    assertThat(sub.allows("evilexample.com", 443)).isFalse();
    assertThat(sub.allows("api.example.com", 80)).isFalse();
  }

  @Test
  @DisplayName("An IP literal entry matches the address in any spelling")
  void literalSpellings() {
    HostAllowList list = HostAllowList.parse(List.of("127.0.0.1:8080", "[::1]"));

    for (String spelling : List.of("127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.0.1.")) {
      assertThat(list.allows(spelling, 8080)).as(spelling).isTrue();
    }
    assertThat(list.allows("[0:0:0:0:0:0:0:1]", 1)).isTrue();
    assertThat(list.allows("127.0.0.2", 8080)).isFalse();
  }

  @Test
  @DisplayName("An empty list allows nothing")
  void empty() {
    HostAllowList list = HostAllowList.parse(List.of());

    assertThat(list.isEmpty()).isTrue();
    assertThat(list.allows("127.0.0.1", 80)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"host:", "host:0", "host:65536", "host:http", "[::1", "[::1]x", "a/b", "user@host", ":80", "*x.com", "a.*.com"})
  @DisplayName("Malformed entries fail loudly, naming the entry and the setting")
  void malformed(String entry) {
    assertThatThrownBy(() -> HostAllowList.parse(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tools.http-fetch.allow-hosts")
        .hasMessageContaining("'" + entry + "'");
  }
}
