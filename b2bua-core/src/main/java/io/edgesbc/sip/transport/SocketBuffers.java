package io.edgesbc.sip.transport;

/**
 * How much the transport's sockets may hold ({@code transport.max_send_buffer},
 * {@code transport.udp_receive_buffer}).
 *
 * @param maxSendBuffer most bytes a TCP/TLS connection buffers for a peer that does not read them
 *        yet; messages past it are not sent (a transport error for their transaction)
 * @param udpReceiveBuffer SO_RCVBUF of each realm's UDP socket. The kernel's default (about
 *        208 kB) holds only some 90 small datagrams, since each costs its buffer ~2 kB of
 *        accounting: a stall of a few milliseconds at thousands of calls per second overflows it,
 *        and every INVITE or 200 dropped there comes back as a retransmission T1 later
 *        (RFC 3261 §17.1.1.2), more load on a server that is already behind. Linux caps the value
 *        at {@code net.core.rmem_max}; the start-up log names what the socket got
 */
public record SocketBuffers(int maxSendBuffer, int udpReceiveBuffer) {

    /** 1 MiB per connection (hundreds of SIP messages, far more than a live peer leaves unread), 4 MiB per UDP socket. */
    public static final SocketBuffers DEFAULTS = new SocketBuffers(1 << 20, 4 << 20);

    public SocketBuffers {
        if (maxSendBuffer < 2 || udpReceiveBuffer < 1024) {
            throw new IllegalArgumentException("socket buffers too small: send " + maxSendBuffer
                    + ", UDP receive " + udpReceiveBuffer);
        }
    }
}
