package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {

    private static final long MS = 1_000_000L;

    private static SipRequest request(String method, String toTag) {
        String text = method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-ov-1\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: ov-1\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        SipMessage m = ((ParseResult.Parsed) new SipParser().parseDatagram(text.getBytes(StandardCharsets.US_ASCII)))
                .message();
        return (SipRequest) m;
    }

    @Test
    void refusesOnlyANewInviteThatWaitedLongerThanTheBound() {
        OverloadGuard guard = new OverloadGuard(Duration.ofMillis(100));
        assertThat(guard.refuses(request("INVITE", null), 100 * MS)).as("at the bound").isFalse();
        assertThat(guard.refuses(request("INVITE", null), 101 * MS)).isTrue();
        assertThat(guard.refuses(request("INVITE", "b2"), 5_000 * MS)).as("re-INVITE in a dialog").isFalse();
        assertThat(guard.refuses(request("BYE", "b2"), 5_000 * MS)).isFalse();
        assertThat(guard.refuses(request("OPTIONS", null), 5_000 * MS)).isFalse();
        assertThat(guard.refuses(request("CANCEL", null), 5_000 * MS)).isFalse();
        assertThat(guard.refused.sum()).isOne();
    }

    @Test
    void aZeroBoundTurnsTheGuardOff() {
        OverloadGuard guard = new OverloadGuard(Duration.ZERO);
        assertThat(guard.refuses(request("INVITE", null), 60_000 * MS)).isFalse();
        assertThat(guard.refused.sum()).isZero();
    }

    @Test
    void logsTheFirstRefusalAtOnceThenAtMostOneLinePerTenSecondsWithTheCountSince() {
        OverloadGuard guard = new OverloadGuard(Duration.ofMillis(100));
        long t0 = 1_000_000 * MS;
        guard.refuses(request("INVITE", null), 200 * MS);
        assertThat(guard.refusalsToLog(t0)).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            guard.refuses(request("INVITE", null), 200 * MS);
        }
        assertThat(guard.refusalsToLog(t0 + 9_999 * MS)).isEqualTo(-1);
        assertThat(guard.refusalsToLog(t0 + 10_000 * MS)).isEqualTo(4);
        assertThat(guard.refusalsToLog(t0 + 10_001 * MS)).isEqualTo(-1);
    }
}
