package io.edgesbc.deploy;

import static io.edgesbc.deploy.DeployFiles.deploy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.server.config.ConfigLoader;
import io.edgesbc.server.config.MediaConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy/ files agree with each other and with the configuration they ship: every YAML
 * parses, the ports the container publishes and exposes are the realms' and the admin port, the
 * probes and scrape settings point at the admin listener, the systemd unit is hardened.
 */
class DeployFilesTest {

    @TempDir
    Path tmp;

    /** "5060/udp" style: the sockets a configuration listens on, plus the admin port. */
    static Set<String> sockets(ServerConfig config) {
        Set<String> out = new TreeSet<>();
        for (RealmConfig realm : config.realms()) {
            if (realm.udpPort() >= 0) {
                out.add(realm.udpPort() + "/udp");
            }
            if (realm.tcpPort() >= 0) {
                out.add(realm.tcpPort() + "/tcp");
            }
            if (realm.hasTls()) {
                out.add(realm.tlsPort() + "/tcp");
            }
        }
        out.add(config.admin().getPort() + "/tcp");
        return out;
    }

    /** "30000-30199/udp" style: the RTP relay's port ranges (published and exposed like SIP ports). */
    static Set<String> mediaRanges(ServerConfig config) {
        Set<String> out = new TreeSet<>();
        if (config.media().enabled()) {
            for (MediaConfig.Realm realm : config.media().realms()) {
                out.add(realm.minPort() + "-" + realm.maxPort() + "/udp");
            }
        }
        return out;
    }

    /** The SIP sockets, the admin port and the media ranges of a configuration. */
    static Set<String> socketsAndMedia(ServerConfig config) {
        Set<String> out = new TreeSet<>(sockets(config));
        out.addAll(mediaRanges(config));
        return out;
    }

    static ServerConfig containerConfig() throws Exception {
        return ConfigLoader.load(deploy("docker/edgesbc.yaml"));
    }

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DeployFiles.root().resolve("deploy"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList();
        }
        assertThat(files).extracting(p -> DeployFiles.root().resolve("deploy").relativize(p).toString())
                .contains("docker/compose.yaml", "docker/edgesbc.yaml", "prometheus/prometheus.yml",
                        "prometheus/alerts.yml", "kubernetes/deployment.yaml", "kubernetes/configmap.yaml",
                        "grafana/provisioning/datasources/prometheus.yaml",
                        "grafana/provisioning/dashboards/edgesbc.yaml");
        for (Path file : files) {
            assertThatCode(() -> DeployFiles.yaml(file)).as(file.toString()).doesNotThrowAnyException();
            assertThat(DeployFiles.yaml(file).isObject()).as(file + " is a mapping").isTrue();
        }
    }

    @Test
    void theContainerConfigLoadsAndListensOnEveryInterface() throws Exception {
        ServerConfig config = containerConfig();
        assertThat(config.realms()).extracting(RealmConfig::name).containsExactly("outside", "inside");
        assertThat(config.realms()).allSatisfy(r -> assertThat(r.address().isAnyLocalAddress()).isTrue());
        assertThat(config.admin().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void composePublishesExactlyTheRealmPortsAndTheAdminPortOnLoopback() throws Exception {
        ServerConfig config = containerConfig();
        JsonNode compose = DeployFiles.yaml(deploy("docker/compose.yaml"));
        assertThat(fieldNames(compose.path("services"))).containsExactlyInAnyOrder("edgesbc", "prometheus",
                "grafana");
        JsonNode edgesbc = compose.path("services").path("edgesbc");
        Map<String, String> published = new HashMap<>(); // container socket -> host ip:port
        for (JsonNode port : edgesbc.path("ports")) {
            // [host_ip:]host_port:container_port[/proto]
            String spec = port.asText();
            String proto = spec.contains("/") ? spec.substring(spec.indexOf('/') + 1) : "tcp";
            String[] parts = spec.replaceAll("/.*", "").split(":");
            String container = parts[parts.length - 1] + "/" + proto;
            String hostPort = parts[parts.length - 2];
            String hostIp = parts.length == 3 ? parts[0] : "";
            assertThat(hostPort).as("SIP peers see the port the config advertises: " + spec)
                    .isEqualTo(parts[parts.length - 1]);
            assertThat(published.put(container, hostIp)).as("published twice: " + spec).isNull();
        }
        assertThat(published.keySet()).isEqualTo(socketsAndMedia(config));
        assertThat(published.get(config.admin().getPort() + "/tcp")).as("admin API only on the host's loopback")
                .isEqualTo("127.0.0.1");
        // The container reads the file compose mounts, at the path the Dockerfile's ENTRYPOINT names.
        assertThat(texts(edgesbc.path("volumes"))).contains("./edgesbc.yaml:/etc/edgesbc/edgesbc.yaml:ro");
        assertThat(edgesbc.path("build").path("dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
        // Every file or directory compose mounts from the repository exists.
        for (JsonNode service : compose.path("services")) {
            for (String volume : texts(service.path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(deploy("docker").resolve(source).normalize()).as(volume).exists();
                }
            }
        }
        // Prometheus scrapes the compose service on the admin port, at /metrics.
        JsonNode scrape = edgesbcScrapeJob();
        assertThat(scrape.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        assertThat(texts(scrape.path("static_configs").path(0).path("targets")))
                .containsExactly("edgesbc:" + config.admin().getPort());
    }

    @Test
    void theDockerfileExposesTheConfiguredPortsAndRunsTheJarWithThatConfigAsNonRoot() throws Exception {
        String dockerfile = DeployFiles.read(deploy("docker/Dockerfile")).replace("\\\n", " ");
        Set<String> exposed = new TreeSet<>();
        List<String> from = new ArrayList<>();
        String entrypoint = null;
        String user = null;
        String healthcheck = null;
        for (String line : dockerfile.split("\n")) {
            String l = line.strip();
            String instruction = l.split("\\s+", 2)[0].toUpperCase();
            String rest = l.contains(" ") ? l.substring(l.indexOf(' ') + 1).strip() : "";
            switch (instruction) {
                case "EXPOSE" -> {
                    for (String p : rest.split("\\s+")) {
                        exposed.add(p.contains("/") ? p : p + "/tcp");
                    }
                }
                case "FROM" -> from.add(rest);
                case "ENTRYPOINT" -> entrypoint = rest;
                case "USER" -> user = rest;
                case "HEALTHCHECK" -> healthcheck = rest;
                default -> { }
            }
        }
        ServerConfig config = containerConfig();
        assertThat(exposed).isEqualTo(socketsAndMedia(config));
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).startsWith("maven:").contains("17").endsWith(" AS build");
        assertThat(from.get(1)).contains("17-jre");
        assertThat(user).isNotNull().doesNotStartWith("root").doesNotStartWith("0");
        List<String> argv = new ArrayList<>();
        DeployFiles.JSON.readTree(entrypoint).forEach(n -> argv.add(n.asText()));
        assertThat(argv.get(0)).isEqualTo("java");
        assertThat(argv.subList(argv.size() - 5, argv.size())).containsExactly("-jar", "/opt/edgesbc/edgesbc.jar",
                "run", "--config", "/etc/edgesbc/edgesbc.yaml");
        assertThat(dockerfile).contains("COPY --from=build /src/b2bua-core/target/edgesbc.jar "
                + "/opt/edgesbc/edgesbc.jar");
        assertThat(healthcheck).contains("http://127.0.0.1:" + config.admin().getPort() + "/health");
    }

    @Test
    void kubernetesRunsOnTheHostNetworkWithProbesAndScrapeAnnotationsOnTheConfiguredAdminPort() throws Exception {
        JsonNode configMap = DeployFiles.yaml(deploy("kubernetes/configmap.yaml"));
        assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
        Path configFile = Files.writeString(tmp.resolve("edgesbc.yaml"),
                configMap.path("data").path("edgesbc.yaml").asText());
        ServerConfig config = ConfigLoader.load(configFile);
        int admin = config.admin().getPort();

        JsonNode deployment = DeployFiles.yaml(deploy("kubernetes/deployment.yaml"));
        assertThat(deployment.path("kind").asText()).isEqualTo("Deployment");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode spec = pod.path("spec");
        assertThat(spec.path("hostNetwork").asBoolean()).isTrue();
        assertThat(deployment.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        JsonNode annotations = pod.path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(admin));
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");

        JsonNode container = spec.path("containers").path(0);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asInt()).isEqualTo(admin);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asInt()).isEqualTo(admin);
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();
        Set<String> ports = new TreeSet<>();
        container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt() + "/"
                + p.path("protocol").asText("TCP").toLowerCase()));
        assertThat(ports).isEqualTo(sockets(config));

        // The ConfigMap is what the container reads at /etc/edgesbc/edgesbc.yaml.
        String volume = null;
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("configMap").path("name").asText().equals(configMap.path("metadata").path("name").asText())) {
                volume = v.path("name").asText();
            }
        }
        assertThat(volume).as("a volume from the ConfigMap").isNotNull();
        String mounted = volume;
        assertThat(container.path("volumeMounts")).anySatisfy(m -> {
            assertThat(m.path("name").asText()).isEqualTo(mounted);
            assertThat(m.path("mountPath").asText()).isEqualTo("/etc/edgesbc");
        });

        // The policy shipped in the ConfigMap is a valid policy whose trunks use the config's realms.
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), configMap.path("data").path("policy.yaml")
                .asText());
        LoadResult loaded = PolicyLoader.load(List.of(policy));
        assertThat(loaded).isInstanceOf(LoadResult.Ok.class);
        Set<String> realms = new TreeSet<>();
        config.realms().forEach(r -> realms.add(r.name()));
        DeployFiles.YAML.readTree(policy.toFile()).path("trunks")
                .forEach(t -> assertThat(realms).contains(t.path("realm").asText()));

        JsonNode kustomization = DeployFiles.yaml(deploy("kubernetes/kustomization.yaml"));
        assertThat(texts(kustomization.path("resources"))).containsExactlyInAnyOrder("configmap.yaml",
                "deployment.yaml");
    }

    @Test
    void theSystemdUnitIsHardenedAndRunsTheJarWithTheConfig() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : DeployFiles.read(deploy("systemd/edgesbc.service")).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            int eq = l.indexOf('=');
            assertThat(eq).as("key=value: " + l).isPositive();
            keys.computeIfAbsent(section + l.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(l.substring(eq + 1).strip());
        }
        Map<String, String> required = Map.of("NoNewPrivileges", "yes", "ProtectSystem", "strict",
                "ProtectHome", "yes", "PrivateTmp", "yes", "CapabilityBoundingSet", "CAP_NET_BIND_SERVICE",
                "AmbientCapabilities", "CAP_NET_BIND_SERVICE", "Restart", "on-failure");
        required.forEach((key, value) -> assertThat(keys.get("[Service]" + key)).as(key).containsExactly(value));
        assertThat(keys.get("[Service]LimitNOFILE")).singleElement()
                .satisfies(v -> assertThat(Integer.parseInt(v)).isGreaterThanOrEqualTo(10_000));
        assertThat(keys.get("[Service]ReadWritePaths")).singleElement().asString().contains("/var/log/edgesbc");
        assertThat(keys.get("[Service]User")).containsExactly("edgesbc");
        assertThat(keys.get("[Service]ExecStart")).singleElement().asString()
                .contains("-jar /opt/edgesbc/edgesbc.jar run --config /etc/edgesbc/edgesbc.yaml");
        assertThat(keys).containsKey("[Install]WantedBy");
    }

    @Test
    void theGrafanaDashboardUsesTheProvisionedDatasourceAndIsProvisionedFromWhereComposeMountsIt() {
        JsonNode dashboard = DeployFiles.json(deploy("grafana/dashboards/edgesbc.json"));
        JsonNode datasources = DeployFiles.yaml(deploy("grafana/provisioning/datasources/prometheus.yaml"));
        String uid = datasources.path("datasources").path(0).path("uid").asText();
        assertThat(uid).isNotEmpty();
        assertThat(datasources.path("datasources").path(0).path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(dashboard.path("uid").asText()).isEqualTo("edgesbc");
        assertThat(dashboard.path("panels").size()).isGreaterThan(10);
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo(uid);
                assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            }
        }
        JsonNode providers = DeployFiles.yaml(deploy("grafana/provisioning/dashboards/edgesbc.yaml"));
        String path = providers.path("providers").path(0).path("options").path("path").asText();
        assertThat(texts(DeployFiles.yaml(deploy("docker/compose.yaml")).path("services").path("grafana")
                .path("volumes"))).contains("../grafana/dashboards:" + path + ":ro");
    }

    static JsonNode edgesbcScrapeJob() {
        for (JsonNode job : DeployFiles.yaml(deploy("prometheus/prometheus.yml")).path("scrape_configs")) {
            if (job.path("job_name").asText().equals("edgesbc")) {
                return job;
            }
        }
        throw new AssertionError("prometheus.yml has no job 'edgesbc'");
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
