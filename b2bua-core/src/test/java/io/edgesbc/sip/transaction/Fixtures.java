package io.edgesbc.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Messages, a recording transport and recording TUs for the transaction tests. */
final class Fixtures {
    private Fixtures() {
    }

    private static final SipParser PARSER = new SipParser();

    static SipMessage parse(String text) {
        ParseResult result = PARSER.parseDatagram(SampleMessages.crlf(text));
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).message();
    }

    static SipRequest request(String text) {
        return (SipRequest) parse(text);
    }

    static SipResponse response(String text) {
        return (SipResponse) parse(text);
    }

    static final String BRANCH = "z9hG4bKnashds8";

    static SipRequest invite() {
        return request("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds8
                Via: SIP/2.0/UDP proxy.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1
                Max-Forwards: 69
                Route: <sip:p1.example.com;lr>
                Route: <sip:p2.example.com;lr>
                To: Bob <sip:bob@biloxi.example.com>
                From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
                Call-ID: a84b4c76e66710
                CSeq: 314159 INVITE
                Timestamp: 54
                Contact: <sip:alice@pc33.atlanta.example.com>
                Content-Length: 0

                """);
    }

    static SipRequest options() {
        return request("""
                OPTIONS sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKopt1
                Max-Forwards: 70
                To: Bob <sip:bob@biloxi.example.com>
                From: Alice <sip:alice@atlanta.example.com>;tag=55
                Call-ID: opt-1
                CSeq: 7 OPTIONS
                Content-Length: 0

                """);
    }

    /** A response to {@code request} with the given status, copying its Via/From/To/Call-ID/CSeq. */
    static SipResponse responseTo(SipRequest request, int status, String reason, String toTag) {
        SipResponse r = Messages.responseTo(request, status, reason);
        if (toTag == null) {
            return r;
        }
        return r.toBuilder().set(io.edgesbc.sip.message.HeaderName.TO,
                request.headers().first(io.edgesbc.sip.message.HeaderName.TO) + ";tag=" + toTag).build();
    }

    static VirtualTimeScheduler scheduler() {
        return VirtualTimeScheduler.create();
    }

    /** A TransportSink that records what is sent and when, and can be told to fail. */
    static final class RecordingSink implements TransportSink {
        private final VirtualTimeScheduler clock;
        final List<SipMessage> sent = new ArrayList<>();
        final List<Long> sentAtMillis = new ArrayList<>();
        /** Fail every send while true. */
        boolean failing;

        RecordingSink(VirtualTimeScheduler clock) {
            this.clock = clock;
        }

        /** The transaction of each message sent, to report a later (asynchronous) failure to. */
        final List<Transaction> owners = new ArrayList<>();

        @Override
        public void send(SipMessage message, Transaction owner) {
            if (failing) {
                throw new TransportException("ICMP port unreachable");
            }
            sent.add(message);
            owners.add(owner);
            sentAtMillis.add(clock.now(TimeUnit.MILLISECONDS));
        }

        SipMessage last() {
            return sent.get(sent.size() - 1);
        }

        List<String> startLines() {
            return sent.stream().map(SipMessage::startLine).collect(Collectors.toList());
        }
    }

    /** A client TU that writes each event as a short line. */
    static final class RecordingClientTu implements ClientTransactionUser {
        final List<String> events = new ArrayList<>();
        final List<SipResponse> responses = new ArrayList<>();
        /** The transaction's request as the TU saw it with each response. */
        final List<SipRequest> requests = new ArrayList<>();

        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            requests.add(transaction.request());
            responses.add(response);
            events.add("response " + response.statusCode());
        }

        @Override
        public void onTimeout(ClientTransaction transaction, SipResponse timeout) {
            responses.add(timeout);
            events.add("timeout " + timeout.statusCode());
        }

        @Override
        public void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause) {
            responses.add(unavailable);
            events.add("transport-error " + unavailable.statusCode());
        }

        @Override
        public void onTerminated(ClientTransaction transaction) {
            events.add("terminated");
        }
    }

    /** A server TU that writes each event as a short line. */
    static final class RecordingServerTu implements ServerTransactionUser {
        final List<String> events = new ArrayList<>();
        final List<SipRequest> requests = new ArrayList<>();

        @Override
        public void onRequest(ServerTransaction transaction, SipRequest request) {
            requests.add(request);
            events.add("request " + request.method());
        }

        @Override
        public void onAck(InviteServerTransaction transaction, SipRequest ack) {
            requests.add(ack);
            events.add("ack");
        }

        @Override
        public void onTimeout(ServerTransaction transaction) {
            events.add("timeout");
        }

        @Override
        public void onTransportError(ServerTransaction transaction, Throwable cause) {
            events.add("transport-error");
        }

        @Override
        public void onTerminated(ServerTransaction transaction) {
            events.add("terminated");
        }
    }
}
