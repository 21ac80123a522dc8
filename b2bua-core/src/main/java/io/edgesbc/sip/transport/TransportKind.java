package io.edgesbc.sip.transport;

/** The SIP transports EdgeSBC listens on (RFC 3261 §18). */
public enum TransportKind {
    UDP(false),
    TCP(true),
    TLS(true);

    private final boolean reliable;

    TransportKind(boolean reliable) {
        this.reliable = reliable;
    }

    /** Reliable transports need no retransmissions (RFC 3261 §17.1.1.2) and keep connections. */
    public boolean reliable() {
        return reliable;
    }

    /** The Via transport token (RFC 3261 §20.42). */
    public String viaToken() {
        return name();
    }
}
