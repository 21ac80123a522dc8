package io.edgesbc.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Loopback ports for the external peers of the tests (SIPp), chosen and watched so that a busy
 * machine cannot make a test fail for reasons that have nothing to do with EdgeSBC.
 *
 * <p>Ports come from 20000-29999: below the kernel's ephemeral range (32768-60999 on Linux), where
 * our own servers' port-0 listeners and outgoing TCP connections land, and below the media relay's
 * default pool (30000-39999). A port handed out here is therefore only taken again by another
 * explicit choice. Whether a peer has bound its port is read from /proc/net/udp{,6} rather than
 * probed by binding it ourselves: a probe that holds the port at the moment the peer binds makes
 * the peer fail.
 */
public final class LoopbackPorts {

    private static final int LOW = 20000;
    private static final int HIGH = 29999;

    private LoopbackPorts() {
    }

    /** A port free now on loopback for both UDP and TCP (SIPp -t u1 and -t t1 use the same number). */
    public static int free() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
                    ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port in " + LOW + "-" + HIGH);
    }

    /**
     * Waits until some process has a UDP socket bound to {@code port}. Fails at once, with {@code why},
     * when {@code process} exits first (SIPp does when it cannot bind or read its scenario).
     */
    public static void awaitUdpBound(int port, Process process, Duration timeout, Supplier<String> why)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (udpBound(port)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("peer exited (" + process.exitValue() + ") before binding UDP port " + port
                        + "\n" + why.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("peer did not bind UDP port " + port + " within " + timeout + "\n" + why.get());
    }

    /** True when a UDP socket is bound to {@code port} on any local address. */
    public static boolean udpBound(int port) throws IOException {
        Path v4 = Path.of("/proc/net/udp");
        if (!Files.isReadable(v4)) {
            return probeBound(port); // not Linux: fall back to a bind probe
        }
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (Path table : List.of(v4, Path.of("/proc/net/udp6"))) {
            if (Files.isReadable(table) && listsLocalPort(Files.readAllLines(table), hexPort)) {
                return true;
            }
        }
        return false;
    }

    /** Lines like "  12: 0100007F:4E21 00000000:0000 07 ..."; the second column is the local address. */
    static boolean listsLocalPort(List<String> lines, String hexPort) {
        for (int i = 1; i < lines.size(); i++) {
            String[] columns = lines.get(i).trim().split("\\s+");
            if (columns.length > 1 && columns[1].endsWith(hexPort)) {
                return true;
            }
        }
        return false;
    }

    private static boolean probeBound(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return false;
        } catch (IOException bound) {
            return true;
        }
    }
}
