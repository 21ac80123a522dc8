package io.edgesbc.media.relay.bench;

import io.edgesbc.media.relay.CallOptions;
import io.edgesbc.media.relay.MediaRelay;
import io.edgesbc.media.relay.MediaTimeoutListener;
import io.edgesbc.media.relay.RealmConfig;
import io.edgesbc.media.relay.RelayConfig;
import io.edgesbc.media.relay.RelayResult;
import io.edgesbc.media.sdp.SdpParser;
import io.edgesbc.media.sdp.SessionDescription;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * RTP load through the relay on loopback (a benchmark, not a test): {@code calls} calls, each
 * with two parties sending 172-byte packets (12-byte RTP header + 160 bytes of G.711) every
 * 20 ms in both directions, i.e. 2 streams and 100 packets/s per call. Reports loss, relayed
 * packets/s, one-way latency through the relay (generator included) and the CPU of the relay's
 * event loop threads per packet.
 *
 * <p>Arguments: {@code calls [seconds] [direct] [threads=N]}; at most 1,500 calls (3,000 streams) and 20 s
 * measured, after 8 s of warm-up whose packets are not counted (and 1 s for its queues to drain).
 * {@code direct} sends party to party without the relay: the generator's own ceiling.
 * {@code threads=N} gives the relay N event loops (default 1).
 *
 * <p>The generator shares the machine's cores with the relay, so it is kept cheap: each party's
 * socket is connected to the one address it talks to (the relay port of its leg, or the other
 * party), so sends and receives carry no address and allocate nothing; and the parties' sends
 * are spread over the 20 ms tick (party {@code i} of {@code n} at {@code i * 20 ms / n}), as
 * independent calls are, instead of one burst of {@code 2·calls} packets per tick that every
 * packet would queue behind.
 */
public final class RelayLoad {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final int PACKET = 172;
    private static final long TICK_NANOS = 20_000_000L; // 20 ms of G.711 per packet
    private static final long SLICE_NANOS = 1_000_000L;
    private static final int WARM_UP_SECONDS = 8;
    /**
     * The receiving parties are polled, not waited for: a receiver blocked in select would be woken
     * (and would preempt the relay on a 2-core machine) for almost every packet the relay sends,
     * a cost charged to the relay's send that a party on another host never causes. Polling adds
     * up to this much (plus timer slack) to the measured latency, in both modes alike.
     */
    private static final long POLL_NANOS = 100_000L;

    public static void main(String[] args) throws Exception {
        int calls = Math.min(1500, args.length > 0 ? Integer.parseInt(args[0]) : 100);
        int seconds = Math.min(20, args.length > 1 ? Integer.parseInt(args[1]) : 10);
        boolean direct = false;
        int ioThreads = 1;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("direct")) {
                direct = true;
            } else if (args[i].startsWith("threads=")) {
                ioThreads = Integer.parseInt(args[i].substring("threads=".length()));
            }
        }

        MediaRelay relay = MediaRelay.create(
                RelayConfig.of(RealmConfig.of("lo", LO, 20000, 20000 + 4 * calls + 3)).withIoThreads(ioThreads),
                MediaTimeoutListener.ignore());
        List<DatagramChannel> parties = new ArrayList<>();
        List<InetSocketAddress> targets = new ArrayList<>(); // party i sends to targets.get(i)
        for (int c = 0; c < calls; c++) {
            DatagramChannel a = open();
            DatagramChannel b = open();
            int pa = ((InetSocketAddress) a.getLocalAddress()).getPort();
            int pb = ((InetSocketAddress) b.getLocalAddress()).getPort();
            if (direct) {
                targets.add(new InetSocketAddress(LO, pb));
                targets.add(new InetSocketAddress(LO, pa));
            } else {
                RelayResult offer = relay.offer("call-" + c, "a", sdp(pa), CallOptions.within("lo"));
                RelayResult answer = relay.answer("call-" + c, "b", sdp(pb));
                int towardsB = ((RelayResult.Relayed) answer).description().media().get(0).port();
                int towardsA = ((RelayResult.Relayed) offer).description().media().get(0).port();
                targets.add(new InetSocketAddress(LO, towardsB));
                targets.add(new InetSocketAddress(LO, towardsA));
            }
            a.connect(targets.get(targets.size() - 2));
            b.connect(targets.get(targets.size() - 1));
            parties.add(a);
            parties.add(b);
        }

        Receiver receiver = new Receiver(parties);
        Thread rx = new Thread(receiver, "load-rx");
        rx.start();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm-up: JIT and pools. On the shared 2-core machine C2 was still compiling the relay's
        // read path 12 s into a run after a 3 s warm-up, so warm up longer, then let the
        // queues drain so the measured packets do not start behind the warm-up's backlog.
        send(parties, WARM_UP_SECONDS, false);
        LockSupport.parkNanos(1_000_000_000L);
        long relayCpu0 = relayCpu(mx);
        long sent = send(parties, seconds, true);
        LockSupport.parkNanos(300_000_000L); // drain
        long relayCpu1 = relayCpu(mx);
        receiver.stop.set(true);
        rx.join();

        long received = receiver.received;
        System.out.printf("mode=%s calls=%d streams=%d seconds=%d native=%s relay threads=%d%n",
                direct ? "direct" : "relay", calls, 2 * calls, seconds, relay.nativeTransport(), ioThreads);
        System.out.printf("sent=%d received=%d loss=%.4f%% relayed=%.0f packets/s%n", sent, received,
                100.0 * (sent - received) / Math.max(1, sent), (double) received / seconds);
        System.out.printf("latency p50=%d us p99=%d us max=%d us%n", receiver.percentile(0.50),
                receiver.percentile(0.99), receiver.percentile(1.0));
        if (!direct) {
            System.out.printf("relay event loop CPU=%.2f us/packet%n", (relayCpu1 - relayCpu0) / 1000.0 / Math.max(1, received));
        }
        for (DatagramChannel p : parties) {
            p.close();
        }
        relay.close();
    }

    private static DatagramChannel open() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(LO, 0));
        ch.configureBlocking(false);
        return ch;
    }

    private static SessionDescription sdp(int port) {
        return SdpParser.parse("v=0\r\no=load 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n");
    }

    /**
     * Every party sends one packet per 20 ms, party {@code i} of {@code n} at {@code i * 20 ms / n}
     * into the tick, in slices of {@link #SLICE_NANOS}; the send time (ns) rides in the payload.
     */
    private static long send(List<DatagramChannel> parties, int seconds, boolean measured) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(PACKET);
        int n = parties.size();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long sent = 0;
        int seq = 0;
        for (long tick = start; tick < end; tick += TICK_NANOS, seq++) {
            int next = 0;
            for (long slice = 0; slice < TICK_NANOS; slice += SLICE_NANOS) {
                long wait = tick + slice - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int upTo = (int) ((slice + SLICE_NANOS) * n / TICK_NANOS);
                for (; next < upTo; next++) {
                    buf.clear();
                    buf.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(next);
                    buf.putLong(System.nanoTime()).put((byte) (measured ? 1 : 0));
                    buf.position(PACKET).flip();
                    if (parties.get(next).write(buf) > 0) {
                        sent++;
                    }
                }
            }
        }
        return sent;
    }

    private static long relayCpu(ThreadMXBean mx) {
        long total = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("media-relay")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    private static final class Receiver implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final long[] micros = new long[100_001]; // histogram, 1 us buckets, last = overflow
        final List<DatagramChannel> parties;
        volatile long received;

        Receiver(List<DatagramChannel> parties) {
            this.parties = parties;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try (Selector sel = Selector.open()) {
                for (DatagramChannel p : parties) {
                    p.register(sel, SelectionKey.OP_READ);
                }
                long n = 0;
                while (!stop.get()) {
                    if (sel.selectNow() == 0) {
                        LockSupport.parkNanos(POLL_NANOS);
                        continue;
                    }
                    for (SelectionKey k : sel.selectedKeys()) {
                        DatagramChannel ch = (DatagramChannel) k.channel();
                        while (true) {
                            buf.clear();
                            if (read(ch, buf) <= 0) {
                                break;
                            }
                            long now = System.nanoTime();
                            if (buf.position() >= 21 && buf.get(20) == 1) {
                                n++;
                                long us = (now - buf.getLong(12)) / 1000;
                                micros[(int) Math.min(micros.length - 1, Math.max(0, us))]++;
                            }
                        }
                    }
                    sel.selectedKeys().clear();
                    received = n;
                }
                received = n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A read on a connected party; an ICMP error from an earlier send (teardown) reads as nothing. */
        private static int read(DatagramChannel ch, ByteBuffer buf) throws IOException {
            try {
                return ch.read(buf);
            } catch (PortUnreachableException e) {
                return 0;
            }
        }

        long percentile(double q) {
            long total = 0;
            for (long c : micros) {
                total += c;
            }
            long rank = (long) Math.ceil(q * total);
            long seen = 0;
            for (int i = 0; i < micros.length; i++) {
                seen += micros[i];
                if (seen >= rank && micros[i] > 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
