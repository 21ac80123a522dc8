package io.edgesbc.media.sdp;

import java.math.BigInteger;
import java.net.InetAddress;

/**
 * The {@code o=} line (RFC 8866 §5.2):
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}.
 *
 * <p>Session id and version are kept as decimal strings: RFC 8866 puts no bound on them and NTP
 * timestamps are common, so they may exceed a {@code long}.
 *
 * @param username       login or {@code "-"}
 * @param sessionId      decimal session id
 * @param sessionVersion decimal session version
 * @param netType        network type, normally {@code IN}
 * @param addrType       address type, normally {@code IP4} or {@code IP6}
 * @param address        unicast address or FQDN of the originator
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType,
                     String addrType, String address) {

    /** Validates the subfields (RFC 8866 §9: sess-id and sess-version are 1*DIGIT). */
    public Origin {
        Chars.requireWord(username, "username");
        Chars.requireWord(netType, "nettype");
        Chars.requireWord(addrType, "addrtype");
        Chars.requireWord(address, "address");
        if (sessionId == null || !Chars.isDigits(sessionId)) {
            throw new IllegalArgumentException("sess-id must be decimal digits: " + sessionId);
        }
        if (sessionVersion == null || !Chars.isDigits(sessionVersion)) {
            throw new IllegalArgumentException("sess-version must be decimal digits: " + sessionVersion);
        }
    }

    /** This origin with {@code IN}, the address type and address of {@code newAddress}. */
    public Origin withAddress(InetAddress newAddress) {
        return new Origin(username, sessionId, sessionVersion, "IN",
                Addresses.addrType(newAddress), Addresses.format(newAddress));
    }

    /** This origin with the session version replaced. */
    public Origin withSessionVersion(String newVersion) {
        return new Origin(username, sessionId, newVersion, netType, addrType, address);
    }

    /** This origin with the session version incremented by one (RFC 3264 §8). */
    public Origin withNextVersion() {
        return withSessionVersion(new BigInteger(sessionVersion).add(BigInteger.ONE).toString());
    }

    /** The text after {@code "o="}. */
    public String text() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType
                + ' ' + address;
    }
}
