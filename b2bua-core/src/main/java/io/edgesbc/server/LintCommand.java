package io.edgesbc.server;

import io.edgesbc.sip.message.Headers;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code edgesbc lint [--json] FILE...}: parses each file as a datagram would be parsed and prints
 * one line per file. Exit status 0 when every file is ok, 1 when any is invalid, 2 on usage or
 * I/O errors.
 */
final class LintCommand {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE_OR_IO = 2;

    private final SipParser parser;
    private final PrintStream out;
    private final PrintStream err;

    LintCommand(SipParser parser, PrintStream out, PrintStream err) {
        this.parser = parser;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        boolean json = false;
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                usage(out);
                return OK;
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                err.println("lint: unknown option " + arg);
                usage(err);
                return USAGE_OR_IO;
            } else {
                files.add(arg);
            }
        }
        if (files.isEmpty()) {
            usage(err);
            return USAGE_OR_IO;
        }
        int status = OK;
        for (String file : files) {
            byte[] bytes;
            try {
                bytes = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                err.println(file + ": error: no such file");
                status = USAGE_OR_IO;
                continue;
            } catch (IOException | RuntimeException e) {
                err.println(file + ": error: " + e.getMessage());
                status = USAGE_OR_IO;
                continue;
            }
            ParseResult result = parser.parseDatagram(bytes);
            if (result instanceof ParseResult.Invalid && status == OK) {
                status = INVALID;
            }
            out.println(json ? json(file, result) : text(file, result));
        }
        return status;
    }

    static String text(String file, ParseResult result) {
        if (result instanceof ParseResult.Parsed parsed) {
            SipMessage m = parsed.message();
            return file + ": ok " + (m instanceof SipResponse r ? Integer.toString(r.statusCode()) : m.method());
        }
        if (result instanceof ParseResult.Invalid invalid) {
            return file + ": invalid: " + invalid.reason() + " (offset " + invalid.offset() + ")";
        }
        return file + ": ok keep-alive";
    }

    static String json(String file, ParseResult result) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "file", file);
        if (result instanceof ParseResult.Parsed parsed) {
            SipMessage m = parsed.message();
            b.append(",\"ok\":true");
            if (m instanceof SipRequest r) {
                field(b.append(','), "type", "request");
                field(b.append(','), "method", r.method());
                field(b.append(','), "requestUri", r.requestUri().toString());
            } else {
                SipResponse r = (SipResponse) m;
                field(b.append(','), "type", "response");
                b.append(",\"status\":").append(r.statusCode());
                field(b.append(','), "reason", r.reasonPhrase());
            }
            field(b.append(','), "version", m.version());
            b.append(",\"headers\":[");
            Headers headers = m.headers();
            for (int i = 0; i < headers.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, headers.name(i).canonical());
            }
            b.append("],\"bodyLength\":").append(m.bodyLength());
        } else if (result instanceof ParseResult.Invalid invalid) {
            b.append(",\"ok\":false");
            field(b.append(','), "reason", invalid.reason());
            b.append(",\"offset\":").append(invalid.offset());
            b.append(",\"canAnswer400\":").append(invalid.canAnswer());
        } else {
            b.append(",\"ok\":true");
            field(b.append(','), "type", "keep-alive");
        }
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        string(b, name);
        b.append(':');
        string(b, value);
    }

    /** A JSON string literal (RFC 8259 §7). */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    static void usage(PrintStream to) {
        to.println("usage: edgesbc lint [--json] FILE...   (FILE '-' reads standard input)");
        to.println("  Parses each file as one UDP datagram and prints 'FILE: ok METHOD|STATUS'");
        to.println("  or 'FILE: invalid: REASON (offset N)'. Exit 0 all ok, 1 any invalid, 2 usage/IO error.");
    }
}
