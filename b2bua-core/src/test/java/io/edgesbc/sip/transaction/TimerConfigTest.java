package io.edgesbc.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerConfigTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void defaultsFollowTheRfcTable() {
        TimerConfig c = TimerConfig.DEFAULT;
        assertThat(c.t1()).isEqualTo(ms(500));
        assertThat(c.t2()).isEqualTo(ms(4_000));
        assertThat(c.t4()).isEqualTo(ms(5_000));
        assertThat(c.timerA(false)).contains(ms(500));
        assertThat(c.timerB()).isEqualTo(ms(32_000));
        assertThat(c.timerD(false)).isEqualTo(ms(32_000));
        assertThat(c.timerE(false)).contains(ms(500));
        assertThat(c.timerF()).isEqualTo(ms(32_000));
        assertThat(c.timerG(false)).contains(ms(500));
        assertThat(c.timerH()).isEqualTo(ms(32_000));
        assertThat(c.timerI(false)).isEqualTo(ms(5_000));
        assertThat(c.timerJ(false)).isEqualTo(ms(32_000));
        assertThat(c.timerK(false)).isEqualTo(ms(5_000));
        assertThat(c.timerL()).isEqualTo(ms(32_000));
        assertThat(c.timerM()).isEqualTo(ms(32_000));
        assertThat(c.tryingDelay()).isEqualTo(ms(200));
    }

    @Test
    void reliableTransportsTurnRetransmissionsOffAndWaitsToZero() {
        TimerConfig c = TimerConfig.DEFAULT;
        assertThat(c.timerA(true)).isEmpty();
        assertThat(c.timerE(true)).isEmpty();
        assertThat(c.timerG(true)).isEmpty();
        assertThat(c.timerD(true)).isZero();
        assertThat(c.timerI(true)).isZero();
        assertThat(c.timerJ(true)).isZero();
        assertThat(c.timerK(true)).isZero();
        // Timeouts stay.
        assertThat(c.timerB()).isEqualTo(ms(32_000));
        assertThat(c.timerF()).isEqualTo(ms(32_000));
        assertThat(c.timerH()).isEqualTo(ms(32_000));
    }

    @Test
    void derivedTimersFollowTheBaseValues() {
        TimerConfig c = TimerConfig.DEFAULT.withT1(ms(100)).withT2(ms(1_000)).withT4(ms(2_000));
        assertThat(c.timerB()).isEqualTo(ms(6_400));
        assertThat(c.timerJ(false)).isEqualTo(ms(6_400));
        assertThat(c.timerK(false)).isEqualTo(ms(2_000));
        assertThat(c.timerM()).isEqualTo(ms(6_400));
        assertThat(c.doubledUpToT2(ms(400))).isEqualTo(ms(800));
        assertThat(c.doubledUpToT2(ms(800))).isEqualTo(ms(1_000));
    }

    @Test
    void rejectsImpossibleValues() {
        assertThatThrownBy(() -> TimerConfig.DEFAULT.withT1(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimerConfig.DEFAULT.withT2(ms(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimerConfig.DEFAULT.withTryingDelay(ms(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimerConfig.DEFAULT.withTimerD(null)).isInstanceOf(NullPointerException.class);
    }
}
