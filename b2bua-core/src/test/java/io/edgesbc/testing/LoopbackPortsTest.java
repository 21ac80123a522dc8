package io.edgesbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAndTheMediaPool() throws IOException {
        for (int i = 0; i < 50; i++) {
            assertThat(LoopbackPorts.free()).isBetween(20000, 29999);
        }
    }

    @Test
    void seesABoundUdpSocketWithoutTouchingIt() throws IOException {
        int port = LoopbackPorts.free();
        assertThat(LoopbackPorts.udpBound(port)).isFalse();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(LoopbackPorts.udpBound(port)).isTrue();
        }
        assertThat(LoopbackPorts.udpBound(port)).isFalse();
    }

    @Test
    void readsTheLocalAddressColumnOfProcNetUdp() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "  12: 0100007F:4E21 0100007F:13C4 07 00000000:00000000 00:00000000 00000000     0        0 1");
        assertThat(LoopbackPorts.listsLocalPort(table, ":4E21")).isTrue();
        assertThat(LoopbackPorts.listsLocalPort(table, ":13C4")).as("remote port column is not ours").isFalse();
    }

    @Test
    void aPeerThatExitsBeforeBindingFailsAtOnceWithItsStory() throws Exception {
        int port = LoopbackPorts.free();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThatThrownBy(() -> LoopbackPorts.awaitUdpBound(port, gone, Duration.ofSeconds(20), () -> "its output"))
                .isInstanceOf(IOException.class).hasMessageContaining("exited").hasMessageContaining("its output");
    }
}
