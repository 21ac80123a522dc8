package io.edgesbc.sip.transport;

/**
 * The layer above the transport (the transaction layer). Called on the event loop that read the
 * message: implementations must not block.
 */
@FunctionalInterface
public interface SipMessageHandler {
    void onMessage(InboundMessage message);
}
