package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIPp calls through a running EdgeSBC over real UDP and TCP sockets. Not over TLS: the Debian
 * SIPp 3.6.1 build ("SCTP-PCAP-RTPSTREAM") has no OpenSSL and refuses {@code -t l1}; TLS is
 * driven by a JDK client in {@link TlsInteropTest} instead.
 */
class SippInteropTest {

    private static EdgeSbcServer server;

    static ServerConfig loopbackConfig() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, 0)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2));
    }

    @BeforeAll
    static void start() {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        server = new EdgeSbcServer(loopbackConfig()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static int port(TransportKind transport) {
        return server.listenPoints().stream().filter(p -> p.transport() == transport)
                .map(ListenPoint::address).findFirst().orElseThrow().getPort();
    }

    @Test
    void optionsOverUdpIsAnsweredWith200() throws Exception {
        Sipp.Result result = Sipp.uac("options-200.xml", "u1", port(TransportKind.UDP), 10, 20);
        assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
    }

    @Test
    void optionsOverTcpIsAnsweredWith200() throws Exception {
        Sipp.Result result = Sipp.uac("options-200.xml", "t1", port(TransportKind.TCP), 10, 20);
        assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
    }

    @Test
    void anInviteWithNowhereToGoEndsWith480AndRetransmissionsMakeOneTransactionEach() throws Exception {
        long before = server.serverTransactionsCreated();
        // 20% of the packets SIPp sends or receives are lost: retransmissions on both sides.
        Sipp.Result result = Sipp.uac("invite-no-route-480.xml", "u1", port(TransportKind.UDP), 20, 20,
                "-lost", "20");
        assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
        // Every INVITE made exactly one server transaction, whatever was retransmitted (§17.2.3).
        assertThat(server.serverTransactionsCreated() - before).isEqualTo(20);
    }
}
