package io.edgesbc.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.Via;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every branch of the response routing rule (RFC 3261 §18.2.2, RFC 3581 §4). */
class ResponseRoutingTest {

    private static InetSocketAddress udp(String via) {
        return ResponseRouting.unreliable(Via.parse(via));
    }

    private static InetSocketAddress stream(String via, TransportKind transport) {
        return ResponseRouting.reliable(Via.parse(via), transport);
    }

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Nested
    class OverUdp {

        @Test
        void maddrWinsOverReceivedAndRportAndTakesTheSentByPort() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;maddr=198.51.100.9;received=203.0.113.5;rport=4000"))
                    .isEqualTo(at("198.51.100.9", 5070));
        }

        @Test
        void maddrWithoutASentByPortTakes5060() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;maddr=198.51.100.9")).isEqualTo(at("198.51.100.9", 5060));
        }

        @Test
        void maddrMayBeAnIpv6Reference() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;maddr=[2001:db8::7]"))
                    .isEqualTo(at("2001:db8::7", 5070));
        }

        @Test
        void aMaddrNameHasNoDestinationEvenWithReceived() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;maddr=proxy.example.com;received=203.0.113.5"))
                    .isNull();
        }

        @Test
        void receivedWithAnRportValueGoesThere() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;received=203.0.113.5;rport=40123"))
                    .isEqualTo(at("203.0.113.5", 40123));
        }

        @Test
        void receivedWithABareRportTakesTheSentByPort() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport;received=203.0.113.5"))
                    .isEqualTo(at("203.0.113.5", 5070));
        }

        @Test
        void receivedWithoutRportTakesTheSentByPort() {
            assertThat(udp("SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1;received=203.0.113.5"))
                    .isEqualTo(at("203.0.113.5", 5070));
        }

        @Test
        void receivedWithoutAnyPortTakes5060() {
            assertThat(udp("SIP/2.0/UDP host.example.com;branch=z9hG4bK1;received=203.0.113.5"))
                    .isEqualTo(at("203.0.113.5", 5060));
        }

        @Test
        void receivedMayBeIpv6WithOrWithoutBrackets() {
            assertThat(udp("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;received=[2001:db8::9]"))
                    .isEqualTo(at("2001:db8::9", 5070));
            assertThat(udp("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;received=2001:db8::9"))
                    .isEqualTo(at("2001:db8::9", 5070));
        }

        @Test
        void withoutReceivedTheSentByHostAndPort() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1")).isEqualTo(at("192.0.2.1", 5070));
            assertThat(udp("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1")).isEqualTo(at("2001:db8::1", 5070));
        }

        @Test
        void withoutReceivedOrPortTheSentByHostAt5060() {
            assertThat(udp("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1")).isEqualTo(at("192.0.2.1", 5060));
        }

        @Test
        void anRportValueWithoutReceivedIsNotUsed() {
            // RFC 3581 §4 needs both; our stamping never leaves rport without received.
            assertThat(udp("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport=40123")).isEqualTo(at("192.0.2.1", 5070));
        }

        @Test
        void aSentByNameWithoutReceivedHasNoDestination() {
            assertThat(udp("SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1")).isNull();
        }
    }

    @Nested
    class OverANewConnection {

        @Test
        void receivedAndTheSentByPortNotRport() {
            assertThat(stream("SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK1;received=203.0.113.5;rport=40123",
                    TransportKind.TCP)).isEqualTo(at("203.0.113.5", 5070));
        }

        @Test
        void theDefaultPortIsTheTransports() {
            assertThat(stream("SIP/2.0/TCP host.example.com;branch=z9hG4bK1;received=203.0.113.5", TransportKind.TCP))
                    .isEqualTo(at("203.0.113.5", 5060));
            assertThat(stream("SIP/2.0/TLS host.example.com;branch=z9hG4bK1;received=203.0.113.5", TransportKind.TLS))
                    .isEqualTo(at("203.0.113.5", 5061));
        }

        @Test
        void withoutReceivedTheSentByHost() {
            assertThat(stream("SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK1", TransportKind.TCP))
                    .isEqualTo(at("192.0.2.1", 5070));
        }

        @Test
        void maddrIsNotUsed() {
            // §18.2.2 names maddr for unreliable transports only.
            assertThat(stream("SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK1;maddr=198.51.100.9", TransportKind.TCP))
                    .isEqualTo(at("192.0.2.1", 5070));
        }

        @Test
        void aSentByNameWithoutReceivedHasNoDestination() {
            assertThat(stream("SIP/2.0/TCP host.example.com:5070;branch=z9hG4bK1", TransportKind.TCP)).isNull();
        }
    }
}
