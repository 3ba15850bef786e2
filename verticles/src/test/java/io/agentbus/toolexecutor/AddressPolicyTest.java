package io.agentbus.toolexecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of http_fetch's address policy: literal spellings, internal ranges, allowed blocks. */
class AddressPolicyTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"127.0.0.1, 127.0.0.1", "127.1, 127.0.0.1", "127.0.1, 127.0.0.1", "2130706433, 127.0.0.1",
      "0x7f000001, 127.0.0.1", "0X7F.0.0.1, 127.0.0.1", "0177.0.0.1, 127.0.0.1", "017700000001, 127.0.0.1",
      "0x7f.1, 127.0.0.1", "127.0.0.1., 127.0.0.1", "0, 0.0.0.0", "0xa9.254.0251.0376, 169.254.169.254",
      "[::1], 0:0:0:0:0:0:0:1", "[::ffff:127.0.0.1], 127.0.0.1"})
  @DisplayName("IPv4 and IPv6 literals are read as browsers read them")
  void literals(String host, String address) {
    assertThat(HostLiterals.parse(host).getHostAddress()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "localhost", "a.b.c", "1.2.3.example"})
  @DisplayName("Names are not literals")
  void names(String host) {
    assertThat(HostLiterals.parse(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "08.0.0.1", "0x.0x.0x.0x100", "4294967296", "1..1", "[::g]"})
  @DisplayName("Hosts that end in a number but are no valid address are refused, not resolved")
  void invalidNumbers(String host) {
    assertThatThrownBy(() -> HostLiterals.parse(host)).isInstanceOf(HostLiterals.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1",
      "169.254.169.254", "100.64.0.1", "100.100.100.200", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
      "192.0.0.192", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:10.0.0.1",
      "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::", "2001::1", "2001:db8::1", "fec0::1"})
  @DisplayName("Loopback, private, link-local, metadata and other internal addresses are internal")
  void internal(String address) throws Exception {
    assertThat(InternalAddresses.kind(InetAddress.getByName(address))).as(address).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
      "64:ff9b::808:808", "2002:808:808::"})
  @DisplayName("Public addresses are not")
  void publicAddresses(String address) throws Exception {
    assertThat(InternalAddresses.kind(InetAddress.getByName(address))).as(address).isNull();
  }

  @Test
  @DisplayName("Allowed blocks match by prefix, IPv4 and IPv6 apart; malformed entries name the setting")
  void blocks() throws Exception {
    AddressBlocks blocks = AddressBlocks.parse(List.of("127.0.0.2", "10.0.0.0/8", "[fd00::]/8"), "setting.x");

    assertThat(blocks.contains(InetAddress.getByName("127.0.0.2"))).isTrue();
    assertThat(blocks.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(blocks.contains(InetAddress.getByName("10.200.1.1"))).isTrue();
    assertThat(blocks.contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(blocks.contains(InetAddress.getByName("fc00::1"))).isFalse();
    assertThatThrownBy(() -> AddressBlocks.parse(List.of("internal.example"), "setting.x"))
        .hasMessageContaining("setting.x").hasMessageContaining("internal.example");
    assertThatThrownBy(() -> AddressBlocks.parse(List.of("10.0.0.0/33"), "setting.x"))
        .hasMessageContaining("10.0.0.0/33");
  }
}
