package io.edgesbc.sip.parse;

import java.nio.charset.StandardCharsets;

/** Realistic messages for codec tests and benchmarks, written with \n and sent with CRLF. */
public final class SampleMessages {
    private SampleMessages() {
    }

    public static final String SDP = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 192.0.2.10
            s=-
            c=IN IP4 192.0.2.10
            t=0 0
            m=audio 49170 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv
            """;

    /** A 1 kB INVITE with SDP, as a carrier would send it. */
    public static final String INVITE = """
            INVITE sip:+4930123456@sbc.example.net;user=phone SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
            Max-Forwards: 70
            To: <sip:+4930123456@sbc.example.net;user=phone>
            From: "Alice" <sip:+4940987654@carrier.example.com;user=phone>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.carrier.example.com
            CSeq: 314159 INVITE
            Contact: <sip:+4940987654@192.0.2.10:5060;transport=udp>
            Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO, REFER, NOTIFY
            Supported: 100rel, timer, replaces
            Session-Expires: 1800;refresher=uac
            Min-SE: 90
            P-Asserted-Identity: <sip:+4940987654@carrier.example.com;user=phone>
            User-Agent: CarrierSwitch/4.2
            Content-Type: application/sdp
            Content-Length: %d

            %s""".formatted(SDP.replace("\n", "\r\n").length(), SDP.replace("\n", "\r\n"));

    public static final String OK_200 = """
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5060
            To: <sip:+4930123456@sbc.example.net;user=phone>;tag=a6c85cf
            From: "Alice" <sip:+4940987654@carrier.example.com;user=phone>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.carrier.example.com
            CSeq: 314159 INVITE
            Contact: <sip:sbc@198.51.100.1:5060>
            Content-Length: 0

            """;

    /** Text written with \n lines (and \n\n before the body) as wire bytes with CRLF. */
    public static byte[] crlf(String text) {
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 2);
        String wire = head.replace("\r\n", "\n").replace("\n", "\r\n") + body;
        return wire.getBytes(StandardCharsets.UTF_8);
    }
}
