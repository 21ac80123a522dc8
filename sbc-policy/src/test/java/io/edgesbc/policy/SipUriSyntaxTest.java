package io.edgesbc.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriSyntaxTest {

  @ParameterizedTest
  @ValueSource(strings = {"sip:gw.example", "sip:gw.example.", "sips:gw.example:5061",
      "sip:+441632960001@gw.example", "sip:192.0.2.1:5080;transport=tcp;lr", "sip:[2001:db8::1]:5060",
      "SIP:GW.EXAMPLE", "sip:user:secret@gw.example", "sip:gw.example;maddr=192.0.2.9"})
  void accepts(String uri) {
    assertThat(SipUriSyntax.problem(uri)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gw.example", "tel:+441632960001", "sip:", "sip:gw.example:0",
      "sip:gw.example:65536", "sip:gw.example:abc", "sip:-gw.example", "sip:gw..example",
      "sip:256.1.1.1", "sip:[192.0.2.1]", "sip:gw.example;", "sip:gw.example?subject=x",
      "sip:gw example", "sip:[2001:db8::1"})
  void rejects(String uri) {
    assertThat(SipUriSyntax.problem(uri)).isNotNull();
  }
}
