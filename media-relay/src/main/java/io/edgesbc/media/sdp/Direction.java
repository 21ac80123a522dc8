package io.edgesbc.media.sdp;

import java.util.Optional;

/**
 * Media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1). When none is given at media or
 * session level, the direction is {@link #SENDRECV}.
 */
public enum Direction {
    /** {@code a=sendrecv}: send and receive (the default). */
    SENDRECV("sendrecv"),
    /** {@code a=sendonly}: send only; used to put the peer on hold (RFC 3264 §8.4). */
    SENDONLY("sendonly"),
    /** {@code a=recvonly}: receive only. */
    RECVONLY("recvonly"),
    /** {@code a=inactive}: neither send nor receive. */
    INACTIVE("inactive");

    private final String attributeName;

    Direction(String attributeName) {
        this.attributeName = attributeName;
    }

    /** The attribute name, e.g. {@code "sendonly"}. */
    public String attributeName() {
        return attributeName;
    }

    /** The direction an attribute stands for, if it is a direction flag. */
    public static Optional<Direction> of(Attribute attribute) {
        if (!attribute.isFlag()) {
            return Optional.empty();
        }
        for (Direction d : values()) {
            if (d.attributeName.equals(attribute.name())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
