package io.edgesbc.sip.parse;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamFramerTest {

    private final List<ParseResult> results = new ArrayList<>();
    private final List<ParseResult.Invalid> framingErrors = new ArrayList<>();
    private int keepAlives;
    private final ByteBuf cumulation = Unpooled.buffer();

    private final StreamFramer.Listener listener = new StreamFramer.Listener() {
        @Override
        public void onMessage(ParseResult result) {
            results.add(result);
        }

        @Override
        public void onKeepAlive() {
            keepAlives++;
        }

        @Override
        public void onFramingError(ParseResult.Invalid error) {
            framingErrors.add(error);
        }
    };

    private final StreamFramer framer = new StreamFramer(new SipParser());

    @AfterEach
    void release() {
        assertThat(cumulation.release()).isTrue();
    }

    private void feed(byte[] bytes) {
        cumulation.writeBytes(bytes);
        framer.decode(cumulation, listener);
        cumulation.discardReadBytes();
    }

    @Test
    void framesTwoMessagesInOneRead() {
        byte[] invite = crlf(SampleMessages.INVITE);
        byte[] ok = crlf(SampleMessages.OK_200);
        byte[] both = new byte[invite.length + ok.length];
        System.arraycopy(invite, 0, both, 0, invite.length);
        System.arraycopy(ok, 0, both, invite.length, ok.length);

        feed(both);

        assertThat(results).hasSize(2);
        assertThat(((ParseResult.Parsed) results.get(0)).message()).isInstanceOf(SipRequest.class);
        assertThat(((ParseResult.Parsed) results.get(0)).message().bodyText()).contains("m=audio");
        assertThat(((ParseResult.Parsed) results.get(1)).message()).isInstanceOf(SipResponse.class);
        assertThat(cumulation.readableBytes()).isZero();
    }

    @Test
    void framesAMessageThatArrivesOneByteAtATime() {
        byte[] invite = crlf(SampleMessages.INVITE);
        for (byte b : invite) {
            assertThat(results).isEmpty();
            feed(new byte[] {b});
        }
        assertThat(results).hasSize(1);
        assertThat(((ParseResult.Parsed) results.get(0)).message().bodyLength())
                .isEqualTo((int) ((ParseResult.Parsed) results.get(0)).message().contentLength());
    }

    @Test
    void reportsKeepAlivePingsBetweenMessages() {
        feed("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        feed(crlf(SampleMessages.OK_200));
        feed("\r\n\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(keepAlives).isEqualTo(3);
        assertThat(results).hasSize(1);
    }

    @Test
    void missingContentLengthLosesFramingAndDiscardsTheRest() {
        feed(crlf(SampleMessages.OK_200.replace("Content-Length: 0\n", "")));
        feed(crlf(SampleMessages.OK_200));
        assertThat(framingErrors).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("Content-Length missing on a stream transport"));
        assertThat(results).isEmpty();
        assertThat(framer.isBroken()).isTrue();
        assertThat(cumulation.readableBytes()).isZero();
    }

    @Test
    void aRequestWithoutContentLengthCanStillBeAnsweredBeforeTheConnectionCloses() {
        feed(crlf(SampleMessages.INVITE.replaceFirst("Content-Length: \\d+\n", "")));
        assertThat(framingErrors).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("Content-Length missing on a stream transport");
            assertThat(e.responseContext()).hasValueSatisfying(ctx -> {
                assertThat(ctx.method()).isEqualTo("INVITE");
                assertThat(ctx.cseq()).isEqualTo("314159 INVITE");
                assertThat(ctx.callId()).isEqualTo("a84b4c76e66710@pc33.carrier.example.com");
            });
        });
        assertThat(results).isEmpty();
    }

    @Test
    void aMalformedButFramedMessageDoesNotStopTheStream() {
        feed(crlf(SampleMessages.OK_200.replace("CSeq: 314159 INVITE", "CSeq: x INVITE")));
        feed(crlf(SampleMessages.OK_200));
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isInstanceOf(ParseResult.Invalid.class);
        assertThat(results.get(1)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(framingErrors).isEmpty();
    }

    @Test
    void anEndlessHeaderSectionIsAFramingError() {
        StreamFramer small = new StreamFramer(new SipParser(new ParseLimits(100, 200, 10, 100)));
        cumulation.writeBytes(("OPTIONS sip:a SIP/2.0\r\n" + "X: y\r\n".repeat(50)).getBytes(StandardCharsets.US_ASCII));
        small.decode(cumulation, listener);
        assertThat(framingErrors).singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("header section longer than 200"));
    }

    @Test
    void aBodyOverTheLimitIsAFramingError() {
        StreamFramer small = new StreamFramer(new SipParser(new ParseLimits(100, 2000, 50, 100)));
        cumulation.writeBytes(crlf(SampleMessages.OK_200.replace("Content-Length: 0", "Content-Length: 5000")));
        small.decode(cumulation, listener);
        assertThat(framingErrors).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("Content-Length 5000 exceeds the limit of 100"));
    }
}
