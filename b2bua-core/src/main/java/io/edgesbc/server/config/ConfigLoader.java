package io.edgesbc.server.config;

import io.edgesbc.policy.DurationValues;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.ListNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import io.edgesbc.policy.source.YamlTreeReader;
import io.edgesbc.sip.message.IpLiterals;
import io.edgesbc.sip.parse.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the server configuration (YAML) with precise errors: every problem of the file is
 * reported as {@code FILE:LINE:COLUMN: message}, and a file with any problem is refused whole.
 * Reuses the position-keeping YAML tree of the policy module.
 */
public final class ConfigLoader {

    static final String DEFAULT_RESOURCE = "/io/edgesbc/server/default-config.yaml";
    private static final List<String> TOP = List.of("realms", "admin", "timers", "transport", "limits",
            "shutdown_timeout", "policy", "b2bua", "media", "cdr", "policy_watch");

    private ConfigLoader() {
    }

    /** The embedded demo configuration (loopback; see default-config.yaml). */
    public static ServerConfig loadDefault() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded default configuration missing from the jar");
            }
            return parse(Path.of("embedded:default-config.yaml"), in.readAllBytes(), "embedded default");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ServerConfig load(Path file) throws ConfigException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "cannot read: " + e)));
        }
        return parse(file, content, file.toString());
    }

    static ServerConfig parse(Path file, byte[] content, String source) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = YamlTreeReader.read(file, content, problems);
        ServerConfig config = root.flatMap(r -> Fields.of(r, "the configuration", TOP, problems))
                .map(f -> read(f, file, source, problems))
                .orElse(null);
        if (!problems.isEmpty() || config == null) {
            List<ConfigError> errors = new ArrayList<>();
            for (Problems.Problem p : problems.all()) {
                errors.add(new ConfigError(p.position().file().toString(), p.position().line(),
                        p.position().column(), p.message()));
            }
            if (errors.isEmpty()) {
                errors.add(new ConfigError(file.toString(), 1, 1, "empty configuration"));
            }
            throw new ConfigException(errors);
        }
        return config;
    }

    private static ServerConfig read(Fields top, Path file, String source, Problems problems) {
        // Relative certificate and key paths are relative to the configuration file's directory.
        Path base = file.getParent() == null ? Path.of("") : file.getParent();
        List<RealmConfig> realms = top.list("realms").map(l -> realms(l, base, problems)).orElse(List.of());
        if (!top.has("realms")) {
            problems.add(top.map(), "the configuration needs 'realms': at least one named network side");
        }
        Optional<Fields> adminFields = top.fields("admin", List.of("address", "port", "token", "token_file"));
        InetSocketAddress admin = adminFields
                .map(a -> new InetSocketAddress(address(a, problems), a.integer("port", 1, 65535).orElse(8080)))
                .orElse(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
        AdminToken adminToken = adminFields.map(a -> adminToken(a, admin, base, problems)).orElse(AdminToken.NONE);
        Optional<Fields> timers = top.fields("timers", List.of("t1", "t2", "t4"));
        Duration t1 = duration(timers, "t1", Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofSeconds(10),
                problems);
        Duration t2 = duration(timers, "t2", Duration.ofSeconds(4), Duration.ofMillis(10), Duration.ofSeconds(64),
                problems);
        Duration t4 = duration(timers, "t4", Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofSeconds(64),
                problems);
        Optional<Fields> transport = top.fields("transport", List.of("idle_timeout", "max_connections", "tls_trust", "max_send_buffer", "udp_receive_buffer"));
        Path tlsTrust = transport.flatMap(t -> t.text("tls_trust").map(base::resolve).map(path -> {
            try {
                TlsFiles.certificates(path);
                return path;
            } catch (TlsFiles.BadFile e) {
                t.node("tls_trust").ifPresent(n -> problems.add(n, "tls_trust: " + e.getMessage()));
                return null;
            }
        })).orElse(null);
        Duration idle = duration(transport, "idle_timeout", Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofHours(24), problems);
        int maxConnections = transport.flatMap(t -> t.integer("max_connections", 1, 1_000_000)).orElse(10_000);
        io.edgesbc.sip.transport.SocketBuffers buffers = new io.edgesbc.sip.transport.SocketBuffers(
                transport.flatMap(t -> t.integer("max_send_buffer", 4096, 1 << 30))
                        .orElse(io.edgesbc.sip.transport.SocketBuffers.DEFAULTS.maxSendBuffer()),
                transport.flatMap(t -> t.integer("udp_receive_buffer", 65536, 1 << 30))
                        .orElse(io.edgesbc.sip.transport.SocketBuffers.DEFAULTS.udpReceiveBuffer()));
        Optional<Fields> limits = top.fields("limits",
                List.of("max_start_line", "max_header_section", "max_headers", "max_body"));
        ParseLimits defaults = ParseLimits.DEFAULTS;
        ParseLimits parseLimits = new ParseLimits(
                limits.flatMap(l -> l.integer("max_start_line", 64, 1 << 20)).orElse(defaults.maxStartLineLength()),
                limits.flatMap(l -> l.integer("max_header_section", 256, 1 << 22))
                        .orElse(defaults.maxHeaderSectionLength()),
                limits.flatMap(l -> l.integer("max_headers", 8, 10_000)).orElse(defaults.maxHeaderCount()),
                limits.flatMap(l -> l.integer("max_body", 0, 1 << 24)).orElse(defaults.maxBodyLength()));
        Duration shutdown = top.node("shutdown_timeout")
                .flatMap(n -> DurationValues.read(n, "shutdown_timeout", Duration.ZERO, Duration.ofMinutes(10),
                        problems))
                .orElse(Duration.ofSeconds(10));
        if (t2.compareTo(t1) < 0) {
            timers.flatMap(t -> t.node("t2")).ifPresent(n -> problems.add(n, "t2 must not be smaller than t1"));
        }
        List<Path> policy = top.node("policy").map(n -> policyFiles(n, base, problems)).orElse(List.of());
        io.edgesbc.b2bua.B2buaSettings b2bua = b2bua(top, problems, t1);
        MediaConfig media = MediaConfigReader.read(top.node("media"), realms, problems);
        CdrConfig cdr = top.fields("cdr", List.of("dir", "rotate_size", "keep", "queue"))
                .map(c -> cdr(c, base, problems)).orElse(CdrConfig.OFF);
        ServerConfig.PolicyWatch watch = top.node("policy_watch").map(n -> policyWatch(n, problems))
                .orElse(Optional.of(ServerConfig.PolicyWatch.DEFAULT)).orElse(null);
        return new ServerConfig(source, realms, admin, t1, t2, t4, idle, maxConnections, parseLimits, shutdown,
                policy, tlsTrust, b2bua, media, adminToken, cdr, watch, buffers);
    }

    /**
     * {@code b2bua: {max_call_duration, follow_redirects, remove_headers, pass_headers,
     * max_queue_delay}}: what every
     * call does. Header names are checked for the token syntax of RFC 3261 §25.1; the topology
     * headers (Via, Contact, Route ...) never pass whatever pass_headers says.
     */
    private static io.edgesbc.b2bua.B2buaSettings b2bua(Fields top, Problems problems, Duration t1) {
        Optional<Fields> b = top.fields("b2bua",
                List.of("max_call_duration", "follow_redirects", "remove_headers", "pass_headers",
                        "max_queue_delay"));
        Duration defaultQueueDelay = io.edgesbc.b2bua.B2buaSettings.maxQueueDelayFor(t1);
        if (b.isEmpty()) {
            return io.edgesbc.b2bua.B2buaSettings.DEFAULT.withMaxQueueDelay(defaultQueueDelay);
        }
        Duration max = b.get().node("max_call_duration")
                .flatMap(n -> DurationValues.read(n, "max_call_duration", Duration.ZERO, Duration.ofDays(7), problems))
                .orElse(Duration.ZERO);
        boolean follow = b.get().bool("follow_redirects").orElse(true);
        Duration queueDelay = b.get().node("max_queue_delay")
                .flatMap(n -> DurationValues.read(n, "max_queue_delay", Duration.ZERO, Duration.ofMinutes(1), problems))
                .orElse(defaultQueueDelay);
        return new io.edgesbc.b2bua.B2buaSettings(max, follow, headerNames(b.get(), "remove_headers", problems),
                headerNames(b.get(), "pass_headers", problems), queueDelay);
    }

    private static Set<String> headerNames(Fields fields, String key, Problems problems) {
        Set<String> names = new HashSet<>();
        fields.scalars(key).ifPresent(items -> {
            for (ScalarNode item : items) {
                String name = item.isNull() ? "" : item.text().trim();
                if (!name.matches("[A-Za-z0-9.!%*_+`'~-]+")) {
                    problems.add(item, key + ": '" + name + "' is not a header name");
                } else {
                    names.add(name);
                }
            }
        });
        return names;
    }

    /**
     * {@code admin.token} or {@code admin.token_file} (relative to the configuration's directory;
     * read at start-up, see {@link AdminToken}). The admin API can hang up calls and swap the
     * policy, so a listener reachable from other hosts must ask for a token: anything but a
     * loopback address without one is refused here.
     */
    private static AdminToken adminToken(Fields a, InetSocketAddress admin, Path base, Problems problems) {
        if (a.has("token") && a.has("token_file")) {
            a.key("token_file").ifPresent(k -> problems.add(k, "give 'token' or 'token_file', not both"));
            return AdminToken.NONE;
        }
        AdminToken token = AdminToken.NONE;
        if (a.has("token")) {
            String text = a.text("token").orElse("");
            if (text.strip().length() < 16) {
                a.node("token").ifPresent(n -> problems.add(n, "admin token must have at least 16 characters"));
            } else {
                token = new AdminToken(text.strip(), null, at(a.node("token").orElseThrow(), ""));
            }
        } else if (a.has("token_file")) {
            Optional<String> text = a.text("token_file").filter(t -> !t.isBlank());
            if (text.isEmpty()) {
                a.node("token_file").ifPresent(n -> problems.add(n, "token_file names no file"));
            } else {
                token = new AdminToken(null, base.resolve(text.get()), at(a.node("token_file").orElseThrow(), ""));
            }
        }
        if (!token.isSet() && !admin.getAddress().isLoopbackAddress() && a.has("address")) {
            Node where = a.node("address").orElseThrow();
            problems.add(where, "the admin listener binds " + admin.getAddress().getHostAddress()
                    + ", which is not loopback: the admin API can hang up calls and reload the policy, so set "
                    + "'token_file' (or 'token') for its bearer token, or bind it to 127.0.0.1");
        }
        return token;
    }

    private static ConfigError at(Node node, String message) {
        return new ConfigError(node.position().file().toString(), node.position().line(), node.position().column(),
                message);
    }

    /**
     * {@code cdr: {dir, rotate_size, keep, queue}}: without the section CDRs are off; a section
     * without {@code dir} is refused (it would suggest CDRs are written). The directory is created and
     * checked when the server starts, not here: a configuration can be linted on another machine.
     */
    private static CdrConfig cdr(Fields c, Path base, Problems problems) {
        Optional<String> dir = c.requiredText("dir");
        long rotateSize = c.node("rotate_size").map(n -> bytes(n, "rotate_size", 4096, 1L << 40, problems))
                .orElse(CdrConfig.DEFAULT_ROTATE_SIZE);
        int keep = c.integer("keep", 1, 100_000).orElse(CdrConfig.DEFAULT_KEEP);
        int queue = c.integer("queue", 1, 10_000_000).orElse(CdrConfig.DEFAULT_QUEUE);
        if (dir.isEmpty() || dir.get().isBlank()) {
            return CdrConfig.OFF;
        }
        return new CdrConfig(base.resolve(dir.get()), rotateSize, keep, queue);
    }

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(\\d{1,13})\\s*(KB|MB|GB)?",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A size in bytes: {@code 1048576}, {@code 512KB}, {@code 100MB}, {@code 1GB} (binary: 1KB = 1024 bytes). */
    private static long bytes(Node node, String key, long min, long max, Problems problems) {
        String text = node instanceof ScalarNode s && !s.isNull() ? s.text().trim() : "";
        java.util.regex.Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            problems.add(node, key + " must be a size like 100MB, 512KB or a number of bytes, got '" + text + "'");
            return min;
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(java.util.Locale.ROOT);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 0;
        };
        if (value > (max >> shift) || (value << shift) < min) {
            problems.add(node, key + " must be between " + min + " bytes and " + (max >> 30) + "GB, got '" + text + "'");
            return min;
        }
        return value << shift;
    }

    /**
     * {@code policy_watch: off} or {@code policy_watch: {interval: 1s, debounce: 1s}} (either key may
     * be left out); empty for off.
     */
    private static Optional<ServerConfig.PolicyWatch> policyWatch(Node node, Problems problems) {
        if (node instanceof ScalarNode s && !s.isNull()
                && (s.text().equals("off") || s.text().equals("false") || s.text().equals("no"))) {
            return Optional.empty();
        }
        Optional<Fields> f = Fields.of(node, "'policy_watch' (off, or a mapping)", List.of("interval", "debounce"),
                problems);
        ServerConfig.PolicyWatch dflt = ServerConfig.PolicyWatch.DEFAULT;
        Duration interval = duration(f, "interval", dflt.interval(), Duration.ofMillis(100), Duration.ofHours(1),
                problems);
        Duration debounce = duration(f, "debounce", dflt.debounce(), Duration.ZERO, Duration.ofMinutes(10),
                problems);
        return Optional.of(new ServerConfig.PolicyWatch(interval, debounce));
    }

    /**
     * {@code policy: FILE} or {@code policy: [FILE, ...]}: the rule files (sbc-policy), relative to
     * the configuration file's directory, loaded in this order. Their content is checked when the
     * server starts (FILE:LINE:COLUMN errors of the policy files).
     */
    private static List<Path> policyFiles(Node node, Path base, Problems problems) {
        List<Path> files = new ArrayList<>();
        Values.scalars(node, "'policy' (a rule file or a list of them)", problems).ifPresent(items -> {
            if (items.isEmpty()) {
                problems.add(node, "'policy' names no rule file");
            }
            for (ScalarNode item : items) {
                if (item.isNull() || item.text().isBlank()) {
                    problems.add(item, "a policy file name is empty");
                } else {
                    files.add(base.resolve(item.text()));
                }
            }
        });
        return files;
    }

    private static List<RealmConfig> realms(ListNode list, Path base, Problems problems) {
        List<RealmConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> sockets = new HashSet<>();
        if (list.items().isEmpty()) {
            problems.add(list, "'realms' must name at least one realm");
        }
        for (Node item : list.items()) {
            Fields.of(item, "realm", List.of("name", "address", "advertise", "udp", "tcp", "tls", "tls_certificate",
                            "tls_key"),
                    problems).ifPresent(f -> {
                String name = f.requiredText("name").orElse("?");
                if (!names.add(name)) {
                    f.key("name").ifPresent(k -> problems.add(f.node("name").orElse(k), "duplicate realm name '"
                            + name + "'"));
                }
                InetAddress address = address(f, problems);
                InetAddress advertise = f.has("advertise") ? literal(f, "advertise", problems) : null;
                if (advertise != null && advertise.isAnyLocalAddress()) {
                    f.node("advertise").ifPresent(n -> problems.add(n, "advertise must be a concrete address, not "
                            + advertise.getHostAddress()));
                }
                if (address.isAnyLocalAddress() && advertise == null) {
                    // Our Via and Contact must name an address peers can reach (RFC 3261 §18.1.1,
                    // §8.1.1.8); a wildcard names none.
                    f.node("address").ifPresent(n -> problems.add(n, "realm '" + name + "' binds the wildcard "
                            + address.getHostAddress() + ": add 'advertise: IP', the address peers reach it on"));
                }
                int udp = f.integer("udp", 0, 65535).orElse(-1);
                int tcp = f.integer("tcp", 0, 65535).orElse(-1);
                int tls = f.integer("tls", 0, 65535).orElse(-1);
                if (udp < 0 && tcp < 0 && tls < 0 && !f.has("tls")) {
                    problems.add(f.map(), "realm '" + name + "' listens on nothing: give it 'udp', 'tcp' and/or 'tls'");
                }
                // TLS runs over TCP (RFC 3261 §26.2): a tls port and a tcp port share one port space.
                String[][] ports = {{"udp", "udp:" + udp}, {"tcp", "tcp:" + tcp}, {"tls", "tcp:" + tls}};
                for (String[] port : ports) {
                    String socket = port[1];
                    if (!socket.endsWith(":-1") && !socket.endsWith(":0")
                            && !sockets.add(address.getHostAddress() + "/" + socket)) {
                        problems.add(f.node(port[0]).orElse(f.map()), "realm '" + name + "' reuses " + port[0]
                                + " port " + socket.substring(4) + " on " + address.getHostAddress()
                                + ", already taken by another listener");
                    }
                }
                Optional<Path[]> tlsFiles = tlsFiles(f, name, base, problems);
                if (tls >= 0 && tlsFiles.isPresent()) {
                    out.add(new RealmConfig(name, address, udp, tcp, tls, tlsFiles.get()[0], tlsFiles.get()[1],
                            advertise));
                } else {
                    out.add(new RealmConfig(name, address, udp, tcp, -1, null, null, advertise));
                }
            });
        }
        return out;
    }

    /**
     * The certificate and key of a realm's TLS listener, checked now so that a problem is reported
     * at its key: both are needed with 'tls' and mean nothing without it.
     */
    private static Optional<Path[]> tlsFiles(Fields f, String realm, Path base, Problems problems) {
        if (!f.has("tls")) {
            for (String key : List.of("tls_certificate", "tls_key")) {
                f.key(key).ifPresent(k -> problems.add(k, "'" + key + "' has no effect: realm '" + realm
                        + "' has no 'tls' port"));
            }
            return Optional.empty();
        }
        Optional<Path> certificate = f.text("tls_certificate").map(base::resolve);
        Optional<Path> key = f.text("tls_key").map(base::resolve);
        for (String missing : List.of("tls_certificate", "tls_key")) {
            if (!f.has(missing)) {
                String what = missing.equals("tls_key") ? "PEM PKCS#8 private key" : "PEM certificate chain";
                f.key("tls").ifPresent(k -> problems.add(k, "realm '" + realm + "' has a 'tls' port but no '"
                        + missing + "' (" + what + ")"));
            }
        }
        if (certificate.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = null;
        PrivateKey privateKey = null;
        try {
            leaf = TlsFiles.certificates(certificate.get()).get(0);
        } catch (TlsFiles.BadFile e) {
            f.node("tls_certificate").ifPresent(n -> problems.add(n, "tls_certificate: " + e.getMessage()));
        }
        try {
            privateKey = TlsFiles.privateKey(key.get());
        } catch (TlsFiles.BadFile e) {
            f.node("tls_key").ifPresent(n -> problems.add(n, "tls_key: " + e.getMessage()));
        }
        if (leaf != null && privateKey != null) {
            try {
                TlsFiles.checkPair(leaf, privateKey, key.get());
            } catch (TlsFiles.BadFile e) {
                f.node("tls_key").ifPresent(n -> problems.add(n, "tls_key: " + e.getMessage()));
            }
        }
        return Optional.of(new Path[] {certificate.get(), key.get()});
    }

    /** An IP literal (no DNS at start-up: a name would make start-up depend on the resolver). */
    private static InetAddress address(Fields f, Problems problems) {
        InetAddress address = literal(f, "address", problems);
        return address != null ? address : InetAddress.getLoopbackAddress();
    }

    /** The IP literal under {@code key}, or null (reported) when it is missing or not a literal. */
    private static InetAddress literal(Fields f, String key, Problems problems) {
        Optional<String> text = f.requiredText(key);
        if (text.isEmpty()) {
            return null;
        }
        String t = text.get();
        InetAddress address = IpLiterals.parse(t);
        if (address != null) {
            return address;
        }
        f.node(key).ifPresent(n -> problems.add(n, key + " must be an IPv4 or IPv6 address, got '" + t + "'"));
        return null;
    }

    private static Duration duration(Optional<Fields> section, String key, Duration fallback, Duration min,
                                     Duration max, Problems problems) {
        return section.flatMap(s -> s.node(key))
                .flatMap(n -> DurationValues.read(n, key, min, max, problems))
                .orElse(fallback);
    }
}
