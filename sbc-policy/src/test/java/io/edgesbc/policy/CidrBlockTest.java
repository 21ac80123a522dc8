package io.edgesbc.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.policy.match.CidrBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

  private static CidrBlock block(String s) {
    return CidrBlock.parse(s, null).orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({
      "192.0.2.0/24, 192.0.2.255, true",
      "192.0.2.0/24, 192.0.3.0, false",
      "10.0.0.0/9, 10.127.255.255, true",
      "10.0.0.0/9, 10.128.0.0, false",
      "0.0.0.0/0, 8.8.8.8, true",
      "0.0.0.0/0, ::1, false",
      "192.0.2.7, 192.0.2.7, true",
      "192.0.2.7, 192.0.2.8, false",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "2001:db8::/33, 2001:db8:8000::1, false",
      "::/0, 2001:db8::1, true",
      "::/0, 192.0.2.1, false",
      "[2001:db8::1], 2001:db8::1, true",
  })
  void containment(String cidr, String address, boolean expected) {
    assertThat(block(cidr).contains(CidrBlock.parseAddress(address))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "1.2.3", "1.2.3.4/", "1.2.3.4/x", "example.com", "1.2.3.4/33",
      "10.0.0.1/8", "2001:db8::1/64", "::/129", "gggg::1", ""})
  void rejectsMalformedBlocks(String text) {
    String[] why = new String[1];
    assertThat(CidrBlock.parse(text, why)).isEmpty();
    assertThat(why[0]).isNotBlank();
  }

  @Test
  void neverResolvesHostNames() {
    assertThatThrownBy(() -> CidrBlock.parseAddress("localhost"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
