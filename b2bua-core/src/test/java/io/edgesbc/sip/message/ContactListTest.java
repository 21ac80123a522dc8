package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactListTest {

    @Test
    void wildcard() {
        ContactList c = ContactList.parse(" * ");
        assertThat(c.isWildcard()).isTrue();
        assertThat(c.contacts()).isEmpty();
        assertThat(c).hasToString("*");
    }

    @Test
    void listWithCommasInsideQuotesAndBrackets() {
        ContactList c = ContactList.parse(
                "\"Mr. Watson, Jr.\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, "
                        + "\"Mr. Watson\" <mailto:watson@bell-telephone.com> ;q=0.1,<sip:a,b@c;x=1>");
        assertThat(c.isWildcard()).isFalse();
        assertThat(c.contacts()).hasSize(3);
        assertThat(c.contacts().get(0).displayName()).isEqualTo("Mr. Watson, Jr.");
        assertThat(c.contacts().get(0).q()).isEqualTo(0.7);
        assertThat(c.contacts().get(0).expires()).isEqualTo(3600);
        assertThat(c.contacts().get(1).uri()).isInstanceOf(OpaqueUri.class);
        assertThat(c.contacts().get(1).q()).isEqualTo(0.1);
        assertThat(((SipUri) c.contacts().get(2).uri()).user()).isEqualTo("a,b");
    }

    @Test
    void rfc4475EscapedNullContacts() {
        ContactList c = ContactList.parse("<sip:%00@host5.example.com>");
        assertThat(((SipUri) c.contacts().get(0).uri()).user()).isEqualTo("\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        " , ",
        "*, <sip:a@b>",
        "<sip:a@b>;q=2",
        "<sip:a@b>;expires=x",
        "<sip:a@b>, \"unterminated <sip:c@d>",
        "<sip:a@b",
        "\"Joe\" <sip:joe@example.org>;;;;",
    })
    void rejectsInvalid(String value) {
        assertThatThrownBy(() -> ContactList.parse(value)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void offsetOfErrorInSecondElementIsInTheWholeValue() {
        assertThatThrownBy(() -> ContactList.parse("<sip:a@b>, <sip:c@d:x>"))
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(20));
    }

    @Test
    void ofAndToString() {
        ContactList c = ContactList.of(List.of(NameAddr.parse("<sip:a@b>;q=0.5"), NameAddr.parse("sip:c@d")));
        assertThat(c).hasToString("<sip:a@b>;q=0.5, sip:c@d");
        assertThat(ContactList.parse(c.toString())).isEqualTo(c);
        assertThatThrownBy(() -> ContactList.of(List.of())).isInstanceOf(SipSyntaxException.class);
    }
}
