package io.edgesbc.media.relay;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The data plane's event loops and datagram channel type: native epoll where available
 * (Linux x86_64 with the native library), else NIO.
 *
 * @param group the event loops
 * @param epoll whether native epoll is used
 */
record Transport(EventLoopGroup group, boolean epoll) {

    static Transport create(int threads) {
        DefaultThreadFactory names = new DefaultThreadFactory("media-relay", true);
        if (Epoll.isAvailable()) {
            return new Transport(new MultiThreadIoEventLoopGroup(threads, names, EpollIoHandler.newFactory()), true);
        }
        return new Transport(new MultiThreadIoEventLoopGroup(threads, names, NioIoHandler.newFactory()), false);
    }

    /**
     * A datagram channel for a socket bound to {@code address}. An IPv4 address gets an IPv4
     * socket: the transport's default is a dual-stack IPv6 socket, whose every send and receive
     * of IPv4 traffic goes through the kernel's IPv6 UDP code and v4-mapped addresses first
     * (measured: docs/BENCHMARKS.md, RTP relay). An IPv6 address keeps the dual-stack socket.
     */
    DatagramChannel newChannel(InetAddress address) {
        SocketProtocolFamily family = address instanceof Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return epoll ? new EpollDatagramChannel(family) : new NioDatagramChannel(family);
    }
}
