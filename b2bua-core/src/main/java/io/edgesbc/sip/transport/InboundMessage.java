package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.SipMessage;

/**
 * A well-formed message as the transport hands it up: requests already carry received/rport
 * in their top Via (RFC 3261 §18.2.1, RFC 3581 §4).
 */
public record InboundMessage(SipMessage message, MessageSource source) {
}
