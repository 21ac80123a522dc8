package io.edgesbc.server.config;

import io.edgesbc.media.relay.LatchMode;
import io.edgesbc.policy.DurationValues;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.ListNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import io.edgesbc.sip.message.IpLiterals;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code media:} section and resolves it against the SIP realms: every realm gets a
 * relay address (its own SIP address and advertise unless the section names others), a port range
 * (explicit, or its share of 30000-39999 among realms on one address) and a latch mode. Problems
 * are reported at their key, like the rest of the configuration.
 */
final class MediaConfigReader {

    static final List<String> KEYS = List.of("enabled", "timeout", "hold_timeout", "latching", "bypass", "realms");
    private static final List<String> REALM_KEYS = List.of("name", "address", "advertise", "ports", "latching");

    private MediaConfigReader() {
    }

    /** What one media realm entry says; null fields take the defaults. */
    private record Entry(Node node, InetAddress address, InetAddress advertise, int[] ports, Node portsNode,
                         LatchMode latching) {
    }

    static MediaConfig read(Optional<Node> section, List<RealmConfig> sipRealms, Problems problems) {
        Optional<Fields> media = section.flatMap(n -> Fields.of(n, "'media'", KEYS, problems));
        if (section.isPresent() && media.isEmpty()) {
            return MediaConfig.DISABLED;
        }
        boolean enabled = media.flatMap(m -> m.bool("enabled")).orElse(true);
        Duration timeout = media.flatMap(m -> m.node("timeout"))
                .flatMap(n -> DurationValues.read(n, "timeout", Duration.ofSeconds(1), Duration.ofHours(24), problems))
                .orElse(MediaConfig.DEFAULT_TIMEOUT);
        Duration hold = media.flatMap(m -> m.node("hold_timeout"))
                .flatMap(n -> DurationValues.read(n, "hold_timeout", Duration.ofSeconds(1), Duration.ofDays(7),
                        problems))
                .orElse(MediaConfig.DEFAULT_HOLD_TIMEOUT);
        if (hold.compareTo(timeout) < 0) {
            media.flatMap(m -> m.node("hold_timeout").or(() -> m.node("timeout"))).ifPresent(n -> problems.add(n,
                    "hold_timeout (" + hold + ") must not be shorter than timeout (" + timeout
                            + "): a held party may send no RTP at all (RFC 3264 §8.4)"));
        }
        LatchMode latching = media.flatMap(m -> latching(m, problems)).orElse(LatchMode.LATCH);
        Map<String, RealmConfig> byName = new LinkedHashMap<>();
        for (RealmConfig r : sipRealms) {
            byName.put(r.name(), r);
        }
        Map<String, Entry> entries = media.flatMap(m -> m.list("realms"))
                .map(l -> entries(l, byName, problems)).orElse(Map.of());
        List<MediaConfig.BypassPair> bypass = media.flatMap(m -> m.list("bypass"))
                .map(l -> bypass(l, byName, problems)).orElse(List.of());
        List<MediaConfig.Realm> realms = resolve(sipRealms, entries, latching, section.orElse(null), problems);
        return new MediaConfig(enabled, timeout, hold, enabled ? realms : List.of(), bypass);
    }

    private static Optional<LatchMode> latching(Fields f, Problems problems) {
        return f.text("latching").flatMap(t -> switch (t) {
            case "latch" -> Optional.of(LatchMode.LATCH);
            case "strict" -> Optional.of(LatchMode.STRICT);
            default -> {
                f.node("latching").ifPresent(n -> problems.add(n, "latching must be 'latch' (learn the source "
                        + "from the first packet, RFC 4961) or 'strict' (only the SDP address), got '" + t + "'"));
                yield Optional.empty();
            }
        });
    }

    private static Map<String, Entry> entries(ListNode list, Map<String, RealmConfig> sipRealms, Problems problems) {
        Map<String, Entry> out = new HashMap<>();
        for (Node item : list.items()) {
            Fields.of(item, "media realm", REALM_KEYS, problems).ifPresent(f -> {
                Optional<String> name = f.requiredText("name");
                if (name.isEmpty()) {
                    return;
                }
                if (!sipRealms.containsKey(name.get())) {
                    f.node("name").ifPresent(n -> problems.add(n, "media realm '" + name.get()
                            + "' is not one of the realms: " + String.join(", ", sipRealms.keySet())));
                    return;
                }
                if (out.containsKey(name.get())) {
                    f.node("name").ifPresent(n -> problems.add(n, "media realm '" + name.get() + "' is given twice"));
                    return;
                }
                InetAddress address = f.has("address") ? literal(f, "address", problems) : null;
                InetAddress advertise = f.has("advertise") ? literal(f, "advertise", problems) : null;
                if (advertise != null && advertise.isAnyLocalAddress()) {
                    f.node("advertise").ifPresent(n -> problems.add(n, "advertise must be a concrete address, not "
                            + advertise.getHostAddress()));
                }
                if (address != null && address.isAnyLocalAddress() && advertise == null) {
                    // RFC 8866 §5.7: c= must name an address the party can send to
                    f.node("address").ifPresent(n -> problems.add(n, "media realm '" + name.get()
                            + "' binds the wildcard " + address.getHostAddress()
                            + ": add 'advertise: IP', the address parties send media to"));
                }
                int[] ports = f.node("ports").map(n -> ports(n, problems)).orElse(null);
                out.put(name.get(), new Entry(item, address, advertise, ports, f.node("ports").orElse(null),
                        latching(f, problems).orElse(null)));
            });
        }
        return out;
    }

    /** {@code ports: MIN-MAX}: 1024-65535, holding at least one even RTP port with its RTCP port (RFC 3550 §11). */
    private static int[] ports(Node node, Problems problems) {
        Optional<String> text = Values.text(node, "'ports'", problems);
        if (text.isEmpty()) {
            return null;
        }
        String t = text.get().trim();
        int dash = t.indexOf('-');
        try {
            if (dash > 0) {
                int min = Integer.parseInt(t.substring(0, dash).trim());
                int max = Integer.parseInt(t.substring(dash + 1).trim());
                int firstEven = (min & 1) == 0 ? min : min + 1;
                if (min >= 1024 && max <= 65535 && firstEven + 1 <= max) {
                    return new int[] {min, max};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(node, "ports must be a range 'MIN-MAX' within 1024-65535 holding an even RTP port and the "
                + "RTCP port after it, got '" + t + "'");
        return null;
    }

    private static List<MediaConfig.BypassPair> bypass(ListNode list, Map<String, RealmConfig> sipRealms,
                                                       Problems problems) {
        List<MediaConfig.BypassPair> out = new ArrayList<>();
        for (Node item : list.items()) {
            Optional<List<ScalarNode>> names = Values.scalars(item, "a bypass pair", problems);
            if (names.isEmpty()) {
                continue;
            }
            if (names.get().size() != 2) {
                problems.add(item, "a bypass pair names two realms, e.g. [inside, lab]");
                continue;
            }
            boolean known = true;
            for (ScalarNode n : names.get()) {
                if (!sipRealms.containsKey(n.text())) {
                    problems.add(n, "bypass names realm '" + n.text() + "', which is not one of the realms: "
                            + String.join(", ", sipRealms.keySet()));
                    known = false;
                }
            }
            if (known) {
                out.add(new MediaConfig.BypassPair(names.get().get(0).text(), names.get().get(1).text()));
            }
        }
        return out;
    }

    /**
     * One relay realm per SIP realm. Realms without {@code ports} share 30000-39999: split evenly
     * between those on one address (all of them when one binds a wildcard). Ranges on one address
     * must not overlap: both pools would hand out the same ports.
     */
    private static List<MediaConfig.Realm> resolve(List<RealmConfig> sipRealms, Map<String, Entry> entries,
                                                   LatchMode latching, Node section, Problems problems) {
        List<RealmConfig> defaulted = new ArrayList<>();
        for (RealmConfig r : sipRealms) {
            Entry e = entries.get(r.name());
            if (e == null || e.ports() == null) {
                defaulted.add(r);
            }
        }
        boolean anyWildcard = false;
        for (RealmConfig r : defaulted) {
            anyWildcard |= bindAddress(r, entries.get(r.name())).isAnyLocalAddress();
        }
        List<MediaConfig.Realm> out = new ArrayList<>();
        List<Node> at = new ArrayList<>();
        for (RealmConfig r : sipRealms) {
            Entry e = entries.get(r.name());
            InetAddress address = bindAddress(r, e);
            InetAddress advertise = e != null && e.address() != null ? (e.advertise())
                    : e != null && e.advertise() != null ? e.advertise() : r.advertise();
            int min;
            int max;
            if (e != null && e.ports() != null) {
                min = e.ports()[0];
                max = e.ports()[1];
            } else {
                List<RealmConfig> sharing = new ArrayList<>();
                for (RealmConfig d : defaulted) {
                    if (anyWildcard || bindAddress(d, entries.get(d.name())).equals(address)) {
                        sharing.add(d);
                    }
                }
                int span = (MediaConfig.DEFAULT_MAX_PORT - MediaConfig.DEFAULT_MIN_PORT + 1) / sharing.size() & ~1;
                min = MediaConfig.DEFAULT_MIN_PORT + sharing.indexOf(r) * span;
                max = min + span - 1;
            }
            LatchMode mode = e != null && e.latching() != null ? e.latching() : latching;
            out.add(new MediaConfig.Realm(r.name(), address, advertise, min, max, mode));
            at.add(e == null ? section : e.portsNode() != null ? e.portsNode() : e.node());
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = 0; j < i; j++) {
                MediaConfig.Realm a = out.get(j);
                MediaConfig.Realm b = out.get(i);
                boolean sameAddress = a.address().equals(b.address()) || a.address().isAnyLocalAddress()
                        || b.address().isAnyLocalAddress();
                if (sameAddress && a.minPort() <= b.maxPort() && b.minPort() <= a.maxPort() && at.get(i) != null) {
                    problems.add(at.get(i), "media realm '" + b.name() + "' (ports " + b.minPort() + "-"
                            + b.maxPort() + ") overlaps realm '" + a.name() + "' (ports " + a.minPort() + "-"
                            + a.maxPort() + ") on " + b.address().getHostAddress()
                            + ": give them separate port ranges");
                }
            }
        }
        return out;
    }

    private static InetAddress bindAddress(RealmConfig r, Entry e) {
        return e != null && e.address() != null ? e.address() : r.address();
    }

    private static InetAddress literal(Fields f, String key, Problems problems) {
        Optional<String> text = f.text(key);
        if (text.isEmpty()) {
            return null;
        }
        InetAddress address = IpLiterals.parse(text.get());
        if (address == null) {
            f.node(key).ifPresent(n -> problems.add(n, key + " must be an IPv4 or IPv6 address, got '"
                    + text.get() + "'"));
        }
        return address;
    }
}
