package io.edgesbc.sip.dialog;

import static io.edgesbc.sip.dialog.Msgs.invite;
import static io.edgesbc.sip.dialog.Msgs.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.SipRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 3261 §8.2.2.2 in fake time. */
class MergedRequestDetectorTest {

    private final Msgs.FakeClock clock = new Msgs.FakeClock();
    private final MergedRequestDetector detector = new MergedRequestDetector(clock, Duration.ofSeconds(32), 3);

    private static SipRequest branch(String b) {
        return request(invite("").replace("branch=z9hG4bKinv1", "branch=" + b));
    }

    @Test
    void sameKeyOtherBranchIsMergedSameBranchIsARetransmission() {
        assertThat(detector.observe(branch("z9hG4bK1"))).isFalse();
        assertThat(detector.observe(branch("z9hG4bK1"))).isFalse();
        assertThat(detector.observe(branch("z9hG4bK2"))).isTrue();
        assertThat(detector.size()).isEqualTo(1);
    }

    @Test
    void sameBranchFromAnotherSentByIsAnotherTransaction() {
        detector.record(branch("z9hG4bK1"));
        SipRequest other = request(invite("").replace("192.0.2.10:5060;branch=z9hG4bKinv1", "192.0.2.11:5060;branch=z9hG4bK1"));
        assertThat(detector.isMerged(other)).isTrue();
    }

    @Test
    void otherCSeqOrCallIdOrFromTagIsNotMerged() {
        detector.record(branch("z9hG4bK1"));
        assertThat(detector.isMerged(request(invite("").replace("CSeq: 10", "CSeq: 11")))).isFalse();
        assertThat(detector.isMerged(request(invite("").replace("call-1@", "call-2@")))).isFalse();
        assertThat(detector.isMerged(request(invite("").replace("tag=a1", "tag=a2")))).isFalse();
    }

    @Test
    void entriesExpireAfterTheirLifetimeInFakeTime() {
        detector.record(branch("z9hG4bK1"));
        clock.advance(Duration.ofSeconds(31));
        assertThat(detector.isMerged(branch("z9hG4bK2"))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(detector.isMerged(branch("z9hG4bK2"))).isFalse();
        assertThat(detector.size()).isZero();
    }

    @Test
    void aMergedRequestDoesNotTakeOverTheKey() {
        detector.record(branch("z9hG4bK1"));
        detector.record(branch("z9hG4bK2"));
        assertThat(detector.isMerged(branch("z9hG4bK1"))).isFalse();
        assertThat(detector.isMerged(branch("z9hG4bK2"))).isTrue();
    }

    @Test
    void theOldestEntryIsEvictedBeyondTheLimit() {
        for (int i = 0; i < 4; i++) {
            detector.record(request(invite("").replace("CSeq: 10", "CSeq: " + (20 + i))));
        }
        assertThat(detector.size()).isEqualTo(3);
        // Another branch for the evicted key (CSeq 20) is no longer merged; for a kept key (21) it is.
        assertThat(detector.isMerged(request(invite("").replace("CSeq: 10", "CSeq: 20")
                .replace("branch=z9hG4bKinv1", "branch=z9hG4bKnew")))).isFalse();
        assertThat(detector.isMerged(request(invite("").replace("CSeq: 10", "CSeq: 21")
                .replace("branch=z9hG4bKinv1", "branch=z9hG4bKnew")))).isTrue();
    }

    @Test
    void inDialogAckAndRfc2543RequestsAreIgnored() {
        SipRequest inDialog = request(invite("").replace("<sip:bob@sbc.example.net>", "<sip:bob@sbc.example.net>;tag=x"));
        detector.record(inDialog);
        SipRequest ack = request(invite("").replace("INVITE", "ACK"));
        detector.record(ack);
        SipRequest noFromTag = request(invite("").replace(";tag=a1", ""));
        detector.record(noFromTag);
        assertThat(detector.size()).isZero();
    }

    @Test
    void lifetimeAndLimitMustBePositive() {
        assertThatThrownBy(() -> new MergedRequestDetector(clock, Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MergedRequestDetector(clock, Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
