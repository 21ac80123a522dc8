package io.edgesbc.server.config;

import io.edgesbc.b2bua.B2buaSettings;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.SocketBuffers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole server configuration, immutable, as read from YAML by {@link ConfigLoader}. The format
 * is documented in docs/CONFIG.md.
 *
 * @param source where it came from (a file path, or "embedded default")
 * @param t1 RFC 3261 §17.1.1.1 round-trip estimate; T2 and T4 likewise
 * @param policyFiles the policy rule files ({@code policy:}, resolved against the configuration
 *        file's directory), in the order they are loaded; empty when calls are not routed by policy
 * @param tlsTrust PEM certificates trusted when EdgeSBC opens TLS connections; null for the JDK's
 *        default trust store
 * @param b2bua what every call does ({@code b2bua:}: maximum duration, 3xx, header removal)
 * @param media the media relay ({@code media:}); {@link MediaConfig#DISABLED} passes SDP unchanged
 * @param adminToken the admin API's bearer token; {@link AdminToken#NONE} (loopback only)
 * @param cdr where call detail records go ({@link CdrConfig#OFF} when they are off)
 * @param policyWatch how the policy files are watched for changes ({@code policy_watch:}); null when
 *        they are not (reload on SIGHUP and the admin API only)
 * @param buffers the sockets' buffers ({@code transport.max_send_buffer},
 *        {@code transport.udp_receive_buffer})
 */
public record ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                           Duration t1, Duration t2, Duration t4,
                           Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                           Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, B2buaSettings b2bua,
                           MediaConfig media, AdminToken adminToken, CdrConfig cdr, PolicyWatch policyWatch,
                           SocketBuffers buffers) {
    public ServerConfig {
        Objects.requireNonNull(buffers, "buffers");
        realms = List.copyOf(realms);
        policyFiles = List.copyOf(policyFiles);
        Objects.requireNonNull(b2bua, "b2bua");
        Objects.requireNonNull(media, "media");
        adminToken = adminToken == null ? AdminToken.NONE : adminToken;
        cdr = cdr == null ? CdrConfig.OFF : cdr;
    }

    /**
     * Polling of the policy files: every {@code interval} their size and modification time are
     * read; once they have stopped changing for {@code debounce} (an editor writes a file in
     * several steps) and their content differs from the last load, the policy is reloaded.
     */
    public record PolicyWatch(Duration interval, Duration debounce) {
        public static final PolicyWatch DEFAULT = new PolicyWatch(Duration.ofSeconds(1), Duration.ofSeconds(1));

        public PolicyWatch {
            if (interval.isNegative() || interval.isZero() || debounce.isNegative()) {
                throw new IllegalArgumentException("policy watch interval must be > 0, debounce >= 0");
            }
        }
    }

    /** A configuration with the default socket buffers. */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, B2buaSettings b2bua,
                        MediaConfig media, AdminToken adminToken, CdrConfig cdr, PolicyWatch policyWatch) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, b2bua, media, adminToken, cdr, policyWatch, SocketBuffers.DEFAULTS);
    }

    /** A configuration with the default policy watch ({@link PolicyWatch#DEFAULT}). */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, B2buaSettings b2bua,
                        MediaConfig media, AdminToken adminToken, CdrConfig cdr) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, b2bua, media, adminToken, cdr, PolicyWatch.DEFAULT);
    }

    /** A configuration without CDRs. */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, B2buaSettings b2bua,
                        MediaConfig media, AdminToken adminToken) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, b2bua, media, adminToken, CdrConfig.OFF);
    }

    /** A configuration with the defaults but these CDRs (no media relay, no admin token). */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, CdrConfig cdr) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, B2buaSettings.DEFAULT, MediaConfig.DISABLED, AdminToken.NONE, cdr);
    }

    /** A configuration whose admin API has no token (it must then listen on loopback). */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, B2buaSettings b2bua,
                        MediaConfig media) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, b2bua, media, AdminToken.NONE);
    }

    /** A configuration with the default call settings, no media relay and this admin token. */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, AdminToken adminToken) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, B2buaSettings.DEFAULT, MediaConfig.DISABLED, adminToken);
    }

    /** A configuration with the default call settings and this media relay. */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust, MediaConfig media) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, B2buaSettings.DEFAULT, media);
    }

    /** A configuration with the default call settings and no media relay (SDP passes unchanged). */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout, List<Path> policyFiles, Path tlsTrust) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout,
                policyFiles, tlsTrust, B2buaSettings.DEFAULT, MediaConfig.DISABLED);
    }

    /** A configuration without policy files that trusts the JDK's certificates for outbound TLS. */
    public ServerConfig(String source, List<RealmConfig> realms, InetSocketAddress admin,
                        Duration t1, Duration t2, Duration t4,
                        Duration idleTimeout, int maxConnections, ParseLimits parseLimits,
                        Duration shutdownTimeout) {
        this(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits, shutdownTimeout, List.of(),
                null);
    }

    /** A copy with these policy files. */
    public ServerConfig withPolicyFiles(List<Path> files) {
        return new ServerConfig(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, files, tlsTrust, b2bua, media, adminToken, cdr, policyWatch, buffers);
    }

    /** A copy with this media relay configuration. */
    public ServerConfig withMedia(MediaConfig relay) {
        return new ServerConfig(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, policyFiles, tlsTrust, b2bua, relay, adminToken, cdr, policyWatch, buffers);
    }

    /** A copy with these call settings. */
    public ServerConfig withB2bua(B2buaSettings settings) {
        return new ServerConfig(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, policyFiles, tlsTrust, settings, media, adminToken, cdr, policyWatch, buffers);
    }

    /** A copy with this admin listener address and token (tests, embedding). */
    public ServerConfig withAdmin(InetSocketAddress address, AdminToken token) {
        return new ServerConfig(source, realms, address, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, policyFiles, tlsTrust, b2bua, media, token, cdr, policyWatch, buffers);
    }

    /** A copy with these CDR settings. */
    public ServerConfig withCdr(CdrConfig settings) {
        return new ServerConfig(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, policyFiles, tlsTrust, b2bua, media, adminToken, settings, policyWatch, buffers);
    }

    /** A copy with this policy watch (null: none). */
    public ServerConfig withPolicyWatch(PolicyWatch watch) {
        return new ServerConfig(source, realms, admin, t1, t2, t4, idleTimeout, maxConnections, parseLimits,
                shutdownTimeout, policyFiles, tlsTrust, b2bua, media, adminToken, cdr, watch, buffers);
    }
}
