package io.edgesbc.server.scenarios;

import io.edgesbc.server.scenarios.SippMessageLog.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topology-hiding check of issue 4: none of one side's identifiers appears in any message the
 * other side received through EdgeSBC.
 *
 * <p>A side's identifiers are the ones it made itself, read from the messages it sent: the top Via
 * branch of its requests, the From-tag of its requests, the To-tag of its responses, the Call-ID of
 * its out-of-dialog requests (no To-tag), the user part of its Contact when it is not also a From/To
 * user (those pass through by design), and its listen address {@code host:port}. The address is
 * looked for anywhere in a message, the bare port in Via, Contact, Record-Route and Route values
 * (between non-digits); the others anywhere. Identifiers shorter than {@value #MIN_LENGTH}
 * characters are not looked for (they would match by chance).
 */
public final class TopologyCheck {

    static final int MIN_LENGTH = 6;

    /** One SIP endpoint as seen through its message log, listening on {@code host:port}. */
    public record Side(String name, SippMessageLog log, String host, int port) {
    }

    /** Something of {@code owner} found in a message {@code receiver} received. */
    public record Leak(String owner, String receiver, String kind, String value, String where, String message) {
        @Override
        public String toString() {
            return receiver + " received " + owner + "'s " + kind + " '" + value + "' in " + where + " of\n"
                    + message;
        }
    }

    private static final Pattern TAG = Pattern.compile(";\\s*tag\\s*=\\s*([^;>,\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BRANCH = Pattern.compile(";\\s*branch\\s*=\\s*([^;>,\\s]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern URI_USER = Pattern.compile("\\bsips?:([^@;>\\s:]+)@", Pattern.CASE_INSENSITIVE);
    private static final List<String> ADDRESS_HEADERS = List.of("via", "contact", "record-route", "route");

    private TopologyCheck() {
    }

    /** The identifiers {@code side} made itself, by kind. */
    public static Map<String, Set<String>> identifiers(Side side) {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        for (String kind : List.of("Call-ID", "tag", "branch", "Contact user")) {
            ids.put(kind, new LinkedHashSet<>());
        }
        Set<String> fromToUsers = new LinkedHashSet<>();
        Set<String> contactUsers = new LinkedHashSet<>();
        for (Message m : side.log().sent()) {
            m.header("From").ifPresent(v -> fromToUsers.addAll(all(URI_USER, v)));
            m.header("To").ifPresent(v -> fromToUsers.addAll(all(URI_USER, v)));
            for (String contact : m.headers("Contact")) {
                contactUsers.addAll(all(URI_USER, contact));
            }
            if (m.isRequest()) {
                m.header("Via").ifPresent(v -> first(BRANCH, v).ifPresent(ids.get("branch")::add));
                m.header("From").ifPresent(v -> first(TAG, v).ifPresent(ids.get("tag")::add));
                boolean outOfDialog = m.header("To").flatMap(v -> first(TAG, v)).isEmpty();
                if (outOfDialog) {
                    m.header("Call-ID").ifPresent(ids.get("Call-ID")::add);
                }
            } else {
                m.header("To").ifPresent(v -> first(TAG, v).ifPresent(ids.get("tag")::add));
            }
        }
        contactUsers.removeAll(fromToUsers);
        ids.get("Contact user").addAll(contactUsers);
        ids.values().forEach(s -> s.removeIf(v -> v.length() < MIN_LENGTH));
        return ids;
    }

    /** Every identifier of {@code owner} found in a message {@code receiver} received. */
    public static List<Leak> leaks(Side owner, Side receiver) {
        Map<String, Set<String>> ids = identifiers(owner);
        String address = owner.host() + ":" + owner.port();
        Pattern barePort = Pattern.compile("(?<![0-9])" + owner.port() + "(?![0-9])");
        List<Leak> leaks = new ArrayList<>();
        for (Message m : receiver.log().received()) {
            String text = m.text();
            ids.forEach((kind, values) -> {
                for (String value : values) {
                    if (text.contains(value)) {
                        leaks.add(new Leak(owner.name(), receiver.name(), kind, value, lineWith(text, value), text));
                    }
                }
            });
            if (text.contains(address)) {
                leaks.add(new Leak(owner.name(), receiver.name(), "address", address, lineWith(text, address), text));
            }
            for (String[] h : m.headers()) {
                if (ADDRESS_HEADERS.contains(SippMessageLog.canonical(h[0])) && barePort.matcher(h[1]).find()) {
                    leaks.add(new Leak(owner.name(), receiver.name(), "port", Integer.toString(owner.port()),
                            h[0] + ": " + h[1], text));
                }
            }
        }
        return leaks;
    }

    /** Both directions: what {@code a} received of {@code b}'s and what {@code b} received of {@code a}'s. */
    public static List<Leak> between(Side a, Side b) {
        List<Leak> all = new ArrayList<>(leaks(a, b));
        all.addAll(leaks(b, a));
        return all;
    }

    /**
     * {@code TopologyCheck CALLER_LOG CALLER_PORT CALLEE_LOG CALLEE_PORT}: the check on two SIPp
     * message logs of a run through EdgeSBC (bench/b2bua-load.sh); exit 0 when neither side received
     * anything of the other's, 1 on a leak (the first ten are printed), 2 on unusable input.
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 4) {
            System.err.println("usage: TopologyCheck CALLER_LOG CALLER_PORT CALLEE_LOG CALLEE_PORT");
            System.exit(2);
        }
        Side caller = new Side("caller", SippMessageLog.parse(java.nio.file.Files.readString(java.nio.file.Path.of(args[0]))),
                "127.0.0.1", Integer.parseInt(args[1]));
        Side callee = new Side("callee", SippMessageLog.parse(java.nio.file.Files.readString(java.nio.file.Path.of(args[2]))),
                "127.0.0.1", Integer.parseInt(args[3]));
        if (caller.log().received().isEmpty() || callee.log().received().isEmpty()) {
            System.err.println("topology check: a log has no received message");
            System.exit(2);
        }
        List<Leak> leaks = between(caller, callee);
        System.out.printf("topology check: caller received %d messages, callee %d; caller identifiers %s, callee %s;"
                + " leaks: %d%n", caller.log().received().size(), callee.log().received().size(),
                sizes(identifiers(caller)), sizes(identifiers(callee)), leaks.size());
        leaks.stream().limit(10).forEach(System.out::println);
        System.exit(leaks.isEmpty() ? 0 : 1);
    }

    private static String sizes(Map<String, Set<String>> ids) {
        StringBuilder out = new StringBuilder();
        ids.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v.size()));
        return "{" + out + "}";
    }

    private static String lineWith(String text, String value) {
        for (String line : text.split("\n")) {
            if (line.contains(value)) {
                return "'" + line.trim() + "'";
            }
        }
        return "the message";
    }

    private static java.util.Optional<String> first(Pattern p, String value) {
        Matcher m = p.matcher(value);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static List<String> all(Pattern p, String value) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(value);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
