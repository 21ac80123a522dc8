package io.edgesbc.sip.transaction;

/**
 * A message could not be handed to the network: a fatal transport error in the sense of RFC 3261
 * §8.1.3.1 and §17.1.4. The transaction informs its TU (a client TU sees it as a 503) and, in the
 * states whose figure has that arrow, terminates.
 */
public final class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
