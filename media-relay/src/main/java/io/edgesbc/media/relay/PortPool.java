package io.edgesbc.media.relay;

/**
 * The free RTP/RTCP port pairs of one realm: RTP even, RTCP = RTP + 1 (RFC 3550 §11).
 *
 * <p>A FIFO ring of free RTP ports: {@link #acquire()} and {@link #release(int)} are O(1).
 * Released ports go to the back, so a port just freed is reused last and late packets of an
 * ended call are unlikely to reach a new one. Thread-safe (one monitor; the critical sections
 * are a few instructions).
 */
final class PortPool {

    private final String realm;
    private final int firstPort;
    private final int[] ring;
    private final boolean[] inUse;
    private int head;
    private int size;
    private long exhaustions;

    PortPool(RealmConfig config) {
        this.realm = config.name();
        this.firstPort = RealmConfig.firstEven(config.minPort());
        int pairs = config.pairs();
        this.ring = new int[pairs];
        this.inUse = new boolean[pairs];
        for (int i = 0; i < pairs; i++) {
            ring[i] = firstPort + 2 * i;
        }
        this.size = pairs;
    }

    /** A free RTP port (its RTCP port is + 1), or -1 when none is free; the latter is counted. */
    synchronized int acquire() {
        if (size == 0) {
            exhaustions++;
            return -1;
        }
        int port = ring[head];
        head = (head + 1) % ring.length;
        size--;
        inUse[(port - firstPort) >> 1] = true;
        return port;
    }

    /** Returns an RTP port acquired before. */
    synchronized void release(int rtpPort) {
        int slot = (rtpPort - firstPort) >> 1;
        if (rtpPort < firstPort || (rtpPort & 1) != 0 || slot >= inUse.length || !inUse[slot]) {
            throw new IllegalStateException("port " + rtpPort + " of realm " + realm + " is not in use");
        }
        inUse[slot] = false;
        ring[(head + size) % ring.length] = rtpPort;
        size++;
    }

    synchronized int free() {
        return size;
    }

    int pairs() {
        return ring.length;
    }

    synchronized long exhaustions() {
        return exhaustions;
    }

    String realm() {
        return realm;
    }
}
