package io.edgesbc.server.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of a SIPp message log ({@code -trace_msg -message_file F}): blocks that start with a
 * line of dashes (and a timestamp), then "UDP message sent (N bytes):" or "TCP message received
 * [N] bytes :", an empty line and the message. The parser is tolerant: lines before the first
 * separator, blocks whose direction line it does not recognise and blocks without a SIP start line
 * are skipped; CRLF or LF line ends; folded header lines are unfolded (RFC 3261 §7.3.1); header
 * names are matched in any case and in compact form.
 */
public final class SippMessageLog {

    public enum Direction { SENT, RECEIVED }

    /** One logged message: where it went and its text (start line, headers, body). */
    public record Message(Direction direction, String startLine, List<String[]> headers, String body,
            String text) {

        public boolean isRequest() {
            return !startLine.startsWith("SIP/");
        }

        /** The request's method, or for a response the CSeq method. */
        public String method() {
            if (isRequest()) {
                int sp = startLine.indexOf(' ');
                return sp < 0 ? startLine : startLine.substring(0, sp);
            }
            return header("CSeq").map(c -> c.trim().replaceFirst("^\\d+\\s+", "")).orElse("");
        }

        /** A response's status code, or 0 for a request. */
        public int status() {
            if (isRequest()) {
                return 0;
            }
            String[] parts = startLine.split("\\s+");
            try {
                return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** Every value of {@code name} (long or compact form, any case), in order. */
        public List<String> headers(String name) {
            String canonical = canonical(name);
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (canonical(h[0]).equals(canonical)) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        public Optional<String> header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private static final Pattern SEPARATOR = Pattern.compile("^-{10,}.*$");
    private static final Pattern DIRECTION = Pattern.compile(
            "^\\s*(UDP|TCP|TLS|SCTP)?\\s*message\\s+(sent|received)\\b.*$", Pattern.CASE_INSENSITIVE);

    private final List<Message> messages;

    private SippMessageLog(List<Message> messages) {
        this.messages = List.copyOf(messages);
    }

    public List<Message> messages() {
        return messages;
    }

    public List<Message> received() {
        return messages.stream().filter(m -> m.direction() == Direction.RECEIVED).toList();
    }

    public List<Message> sent() {
        return messages.stream().filter(m -> m.direction() == Direction.SENT).toList();
    }

    public static SippMessageLog parse(String log) {
        List<Message> out = new ArrayList<>();
        String[] lines = log.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!SEPARATOR.matcher(lines[i]).matches()) {
                i++;
                continue;
            }
            int start = ++i;
            while (i < lines.length && !SEPARATOR.matcher(lines[i]).matches()) {
                i++;
            }
            block(lines, start, i).ifPresent(out::add);
        }
        return new SippMessageLog(out);
    }

    private static Optional<Message> block(String[] lines, int from, int to) {
        int i = from;
        while (i < to && lines[i].isBlank()) {
            i++;
        }
        if (i >= to) {
            return Optional.empty();
        }
        Matcher d = DIRECTION.matcher(lines[i]);
        if (!d.matches()) {
            return Optional.empty();
        }
        Direction direction = d.group(2).toLowerCase(Locale.ROOT).equals("sent") ? Direction.SENT
                : Direction.RECEIVED;
        i++;
        while (i < to && lines[i].isBlank()) {
            i++;
        }
        if (i >= to) {
            return Optional.empty();
        }
        String startLine = lines[i].trim();
        if (!startLine.startsWith("SIP/") && !startLine.matches("[A-Za-z]+\\s+\\S+\\s+SIP/\\S+")) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(startLine).append('\n');
        List<String[]> headers = new ArrayList<>();
        i++;
        for (; i < to && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            text.append(line).append('\n');
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + line.trim();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        StringBuilder body = new StringBuilder();
        for (i++; i < to; i++) {
            body.append(lines[i]).append('\n');
        }
        String bodyText = body.toString().strip();
        text.append('\n').append(bodyText);
        return Optional.of(new Message(direction, startLine, headers, bodyText, text.toString()));
    }

    static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "i" -> "call-id";
            case "f" -> "from";
            case "t" -> "to";
            case "v" -> "via";
            case "m" -> "contact";
            case "l" -> "content-length";
            case "c" -> "content-type";
            case "k" -> "supported";
            case "r" -> "refer-to";
            case "b" -> "referred-by";
            case "x" -> "session-expires";
            default -> n;
        };
    }
}
