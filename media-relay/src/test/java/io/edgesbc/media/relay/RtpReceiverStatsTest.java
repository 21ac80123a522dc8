package io.edgesbc.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpReceiverStatsTest {

    private static final long MS = 1_000_000L;

    @Test
    void lossAndJitterOfASequenceWithAGapAndKnownArrivalTimes() {
        RtpReceiverStats s = new RtpReceiverStats();
        // 20 ms of PCMU per packet = 160 timestamp units at 8,000 Hz; seq 4 never arrives.
        // arrival (ms) -> units: 0 -> 0, 20 -> 160, 45 -> 360, 80 -> 640, 100 -> 800
        s.onPacket(7, 1, 0, 1_000 * MS, 8000);
        s.onPacket(7, 2, 160, 1_020 * MS, 8000); // transit 0, D = 0, J = 0
        assertThat(s.jitter()).isEqualTo(0.0);
        s.onPacket(7, 3, 320, 1_045 * MS, 8000); // transit 40, D = 40, J = 40/16 = 2.5
        assertThat(s.jitter()).isEqualTo(2.5);
        s.onPacket(7, 5, 640, 1_080 * MS, 8000); // transit 0, D = 40, J = 2.5 + 37.5/16 = 4.84375
        assertThat(s.jitter()).isEqualTo(4.84375);
        s.onPacket(7, 6, 800, 1_100 * MS, 8000); // transit 0, D = 0, J = 4.84375 - 4.84375/16
        assertThat(s.jitter()).isEqualTo(4.541015625);
        assertThat(s.jitterMillis()).isEqualTo(4.541015625 / 8.0);
        // RFC 3550 A.3: expected = 6 - 1 + 1 = 6, received 5
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.received()).isEqualTo(5);
    }

    @Test
    void sequenceNumbersWrapAround() {
        RtpReceiverStats s = new RtpReceiverStats();
        s.onPacket(1, 65534, 0, 0, 8000);
        s.onPacket(1, 65535, 160, 20 * MS, 8000);
        s.onPacket(1, 1, 480, 60 * MS, 8000); // 0 lost across the wrap
        assertThat(s.extendedHighestSequence()).isEqualTo(65536 + 1);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.jitter()).isEqualTo(0.0); // timestamps follow arrival exactly
    }

    @Test
    void timestampsWrapAroundWithoutJitter() {
        RtpReceiverStats s = new RtpReceiverStats();
        int ts = -160; // 0xFFFFFF60
        s.onPacket(1, 10, ts, 0, 8000);
        s.onPacket(1, 11, ts + 160, 20 * MS, 8000); // timestamp 0 after the 32-bit wrap
        s.onPacket(1, 12, ts + 320, 40 * MS, 8000);
        assertThat(s.jitter()).isEqualTo(0.0);
    }

    @Test
    void lateAndDuplicatePacketsCountAsReceived() {
        RtpReceiverStats s = new RtpReceiverStats();
        s.onPacket(1, 100, 0, 0, 8000);
        s.onPacket(1, 102, 320, 40 * MS, 8000);
        assertThat(s.lost()).isEqualTo(1);
        s.onPacket(1, 101, 160, 41 * MS, 8000); // late: fills the gap
        assertThat(s.lost()).isEqualTo(0);
        s.onPacket(1, 101, 160, 42 * MS, 8000); // duplicate: RFC 3550 A.3 lets loss go negative
        assertThat(s.lost()).isEqualTo(-1);
    }

    @Test
    void aBigJumpCountsOnlyWhenTheNextPacketConfirmsIt() {
        RtpReceiverStats s = new RtpReceiverStats();
        s.onPacket(1, 10, 0, 0, 8000);
        s.onPacket(1, 11, 160, 20 * MS, 8000);
        s.onPacket(1, 30_000, 320, 40 * MS, 8000); // not counted yet (RFC 3550 A.1 bad_seq)
        assertThat(s.lost()).isEqualTo(0);
        s.onPacket(1, 30_001, 480, 60 * MS, 8000); // confirmed: the source restarted at 30,001
        assertThat(s.lost()).isEqualTo(0);
        s.onPacket(1, 30_003, 800, 100 * MS, 8000);
        assertThat(s.lost()).isEqualTo(1);
    }

    @Test
    void aNewSsrcStartsANewSequenceAndKeepsEarlierLoss() {
        RtpReceiverStats s = new RtpReceiverStats();
        s.onPacket(1, 1, 0, 0, 8000);
        s.onPacket(1, 3, 320, 40 * MS, 8000);
        s.onPacket(2, 5000, 99, 60 * MS, 8000);
        s.onPacket(2, 5001, 259, 80 * MS, 8000);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.jitter()).isEqualTo(0.0);
    }

    @Test
    void arrivalConvertsToTimestampUnitsWithoutOverflow() {
        assertThat(RtpReceiverStats.toUnits(1_000_000_000L, 8000)).isEqualTo(8000);
        assertThat(RtpReceiverStats.toUnits(125_000L, 8000)).isEqualTo(1);
        long thirtyDays = 30L * 24 * 3600 * 1_000_000_000L;
        assertThat(RtpReceiverStats.toUnits(thirtyDays, 90_000)).isEqualTo(30L * 24 * 3600 * 90_000);
    }
}
