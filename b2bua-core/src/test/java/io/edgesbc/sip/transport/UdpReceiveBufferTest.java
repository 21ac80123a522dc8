package io.edgesbc.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.parse.ParseLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/**
 * A realm's UDP socket gets the receive buffer {@code transport.udp_receive_buffer} names, not
 * the kernel's default: the sizes here are below the stock {@code net.core.rmem_max} (208 kB),
 * so any Linux grants them, and both differ from the stock default SO_RCVBUF.
 */
class UdpReceiveBufferTest {

    private LoopResources loops;
    private SipTransportLayer transport;

    private int receiveBufferWith(int bytes) {
        loops = LoopResources.create("test-rcvbuf", 1, true);
        transport = new SipTransportLayer(
                List.of(new ListenPoint("outside", TransportKind.UDP,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))),
                new TransportSettings(ParseLimits.DEFAULTS, Duration.ofMinutes(5), 10, null,
                        new SocketBuffers(SocketBuffers.DEFAULTS.maxSendBuffer(), bytes)),
                message -> { }, loops);
        transport.start().block(Duration.ofSeconds(5));
        return transport.udpReceiveBuffer("outside");
    }

    @AfterEach
    void stop() {
        transport.stop(Duration.ofSeconds(2)).block();
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    @Test
    void theUdpSocketHasTheConfiguredReceiveBuffer() {
        assertThat(receiveBufferWith(96 * 1024)).isEqualTo(96 * 1024);
        assertThat(transport.udpReceiveBuffer("inside")).as("no such realm").isEqualTo(-1);
    }

    @Test
    void aSecondSizeIsHonouredToo() {
        assertThat(receiveBufferWith(160 * 1024)).isEqualTo(160 * 1024);
    }
}
