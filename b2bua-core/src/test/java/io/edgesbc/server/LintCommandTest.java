package io.edgesbc.server;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.parse.SampleMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int lint(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("lint"));
        all.addAll(List.of(args));
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p.toString();
    }

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOkWithMethodOrStatusAndExitsZero() throws IOException {
        String invite = file("invite.sip", crlf(SampleMessages.INVITE));
        String ok = file("ok.sip", crlf(SampleMessages.OK_200));
        assertThat(lint(invite, ok)).isZero();
        assertThat(outLines()).containsExactly(invite + ": ok INVITE", ok + ": ok 200");
    }

    @Test
    void printsTheReasonAndOffsetOfAnInvalidFileAndExitsOne() throws IOException {
        String good = file("good.sip", crlf(SampleMessages.OK_200));
        String bad = file("bad.sip", crlf(SampleMessages.OK_200.replace("CSeq: 314159 INVITE", "CSeq: INVITE")));
        assertThat(lint(good, bad)).isEqualTo(1);
        assertThat(outLines()).hasSize(2);
        assertThat(outLines().get(1)).matches(java.util.regex.Pattern.quote(bad)
                + ": invalid: malformed CSeq: .* \\(offset \\d+\\)");
    }

    @Test
    void missingFilesAndBadUsageExitTwo() throws IOException {
        String good = file("good.sip", crlf(SampleMessages.OK_200));
        assertThat(lint(good, dir.resolve("nope.sip").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.sip: error: no such file");
        assertThat(outLines()).containsExactly(good + ": ok 200");
        assertThat(lint()).isEqualTo(2);
        assertThat(lint("--bogus", good)).isEqualTo(2);
    }

    @Test
    void jsonGivesTheStartLineAndHeaderNames() throws IOException {
        String ok = file("ok.sip", crlf(SampleMessages.OK_200.replace("Call-ID", "i")));
        String bad = file("bad \"q\".sip", "garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(lint("--json", ok, bad)).isEqualTo(1);
        List<String> lines = outLines();
        assertThat(lines.get(0)).isEqualTo("{\"file\":\"" + ok + "\",\"ok\":true,\"type\":\"response\",\"status\":200,"
                + "\"reason\":\"OK\",\"version\":\"SIP/2.0\",\"headers\":[\"Via\",\"To\",\"From\",\"Call-ID\",\"CSeq\","
                + "\"Contact\",\"Content-Length\"],\"bodyLength\":0}");
        assertThat(lines.get(1)).startsWith("{\"file\":\"" + bad.replace("\"", "\\\"") + "\",\"ok\":false,\"reason\":")
                .endsWith(",\"canAnswer400\":false}");
    }
}
