package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.SipMessage;
import java.net.InetSocketAddress;

/**
 * Sees every well-formed message the transport receives and every message it sends, for
 * metrics and traces. Called on event loops: must be cheap and must not block.
 */
public interface MessageObserver {
    MessageObserver NONE = new MessageObserver() {
        @Override
        public void received(SipMessage message, MessageSource source) {
        }

        @Override
        public void sent(SipMessage message, String realm) {
        }
    };

    void received(SipMessage message, MessageSource source);

    void sent(SipMessage message, String realm);

    /**
     * A message sent to {@code destination} (the peer's address, or null when the connection no
     * longer knows it). Observers that do not care where it went need only the two-argument form.
     */
    default void sent(SipMessage message, String realm, InetSocketAddress destination) {
        sent(message, realm);
    }

    /** Both observers, {@code first} first. */
    static MessageObserver both(MessageObserver first, MessageObserver second) {
        if (first == NONE) {
            return second;
        }
        return new MessageObserver() {
            @Override
            public void received(SipMessage message, MessageSource source) {
                first.received(message, source);
                second.received(message, source);
            }

            @Override
            public void sent(SipMessage message, String realm) {
                first.sent(message, realm);
                second.sent(message, realm);
            }

            @Override
            public void sent(SipMessage message, String realm, InetSocketAddress destination) {
                first.sent(message, realm, destination);
                second.sent(message, realm, destination);
            }
        };
    }
}
