package dev.switchboard.deploy;

import static dev.switchboard.deploy.Repo.SERVICES;
import static dev.switchboard.deploy.Repo.elements;
import static dev.switchboard.deploy.Repo.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the files it mounts (deploy/nginx.conf, deploy/prometheus.yml, deploy/grafana/**),
 * checked without a container engine; {@code docker-compose config} runs too when it is on PATH.
 */
class ComposeFileTest {

    /** What a Java service reads besides application.properties (see KubernetesManifestsTest). */
    private static final Set<String> READ_OUTSIDE_PROPERTIES = Set.of("DATABASE_URL", "JAVA_OPTS_APPEND");

    private static JsonNode services;
    /** Compose service name → module (the Dockerfile's SERVICE build arg), for the Java services. */
    private static Map<String, String> javaServices;

    @BeforeAll
    static void load() {
        JsonNode compose = Repo.yaml(Repo.path("docker-compose.yml"));
        services = compose.path("services");
        javaServices = new LinkedHashMap<>();
        services.properties()
                .forEach(e -> text(e.getValue().at("/build/args/SERVICE"))
                        .ifPresent(module -> javaServices.put(e.getKey(), module)));
    }

    private static List<String> supervisorReplicas() {
        return javaServices.entrySet().stream()
                .filter(e -> e.getValue().equals("supervisor-service"))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Where {@code ./switchboard secrets} writes what the services read; git-ignored. */
    static final String SERVICE_SECRETS = ".switchboard/secrets.env";

    @Test
    void everyServiceReadsItsSecretsFromTheGeneratedFileAndRunsWithAuthenticationOn() {
        for (String service : javaServices.keySet()) {
            Map<String, String> env = env(service);
            assertEquals(List.of(SERVICE_SECRETS), envFiles(service), service + " reads " + SERVICE_SECRETS);
            for (String secret : List.of(
                    "SERVICE_TOKEN",
                    "JWT_SECRET_KEY",
                    "SWITCHBOARD_API_KEYS",
                    "SWITCHBOARD_ADMIN_PASSWORD",
                    "WEBHOOK_SECRET",
                    "DB_PASSWORD")) {
                assertFalse(env.containsKey(secret), service + ": " + secret + " comes from " + SERVICE_SECRETS);
            }
            assertFalse(
                    env.containsKey("SKIP_AUTH"),
                    service + ": no SKIP_AUTH (a container listens on every interface, where it is refused)");
            assertFalse(
                    URI.create(env.get("DATABASE_URL")).getUserInfo().contains(":"),
                    service + " DATABASE_URL carries no password (DB_PASSWORD does)");
        }
        assertEquals(List.of(".switchboard/postgres.env"), envFiles("postgres"), "PostgreSQL's password file");
        assertFalse(env("postgres").containsKey("POSTGRES_PASSWORD"), "no PostgreSQL password in the file");
        assertEquals(List.of(".switchboard/grafana.env"), envFiles("grafana"), "Grafana's password file");
        assertFalse(env("grafana").containsKey("GF_SECURITY_ADMIN_PASSWORD"), "no Grafana password in the file");
        String gitignore = Repo.read(Repo.path(".gitignore"));
        assertTrue(gitignore.lines().anyMatch(".switchboard/"::equals), ".switchboard/ is git-ignored");
    }

    /** Published ports are on 127.0.0.1 unless {@code SWITCHBOARD_BIND_ADDRESS} says otherwise. */
    @Test
    void publishedPortsAreOnLoopbackByDefault() {
        Pattern published = Pattern.compile("\\$\\{SWITCHBOARD_BIND_ADDRESS:-127\\.0\\.0\\.1}:(\\d+):(\\d+)");
        services.properties().forEach(e -> {
            for (JsonNode port : elements(e.getValue().path("ports"))) {
                assertTrue(
                        published.matcher(port.asText()).matches(),
                        e.getKey() + " publishes " + port.asText() + " on ${SWITCHBOARD_BIND_ADDRESS:-127.0.0.1} only");
            }
        });
    }

    /** @return the service's {@code env_file} entries */
    private static List<String> envFiles(String service) {
        JsonNode node = services.path(service).path("env_file");
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        return elements(node).stream()
                .map(f -> f.isTextual() ? f.asText() : f.path("path").asText())
                .toList();
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = services.path(service).path("environment");
        if (node.isArray()) {
            node.forEach(item -> {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            node.properties()
                    .forEach(e -> env.put(
                            e.getKey(),
                            e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return env;
    }

    /** The env value, else the default the module's application.properties gives it. */
    private static Optional<Duration> durationSetting(String service, String name) {
        return Optional.ofNullable(env(service).get(name))
                .or(() -> Repo.envDefault(javaServices.get(service), name))
                .filter(v -> !v.isBlank())
                .map(Repo::duration);
    }

    private static List<String> volumes(String service) {
        return elements(services.path(service).path("volumes")).stream()
                .map(JsonNode::asText)
                .toList();
    }

    @Test
    void runsInfrastructureTheFourServicesAndTheirSurroundings() {
        for (String name : List.of("redis", "postgres", "nginx", "prometheus", "grafana")) {
            assertTrue(services.has(name), "compose service " + name);
        }
        assertEquals(
                new TreeSet<>(SERVICES.keySet()),
                new TreeSet<>(javaServices.values()),
                "the four services are built from this repository");
        assertTrue(supervisorReplicas().size() >= 2, "two or more supervisor replicas: " + supervisorReplicas());
        assertTrue(services.path("redis").path("image").asText().startsWith("redis:"));
        assertTrue(services.path("postgres").path("image").asText().startsWith("postgres:"));
    }

    @Test
    void supervisorReplicasHaveTheirOwnIdsAndOnlyTheBalancerIsPublished() {
        Set<String> ids = new HashSet<>();
        for (String replica : supervisorReplicas()) {
            String id = env(replica).getOrDefault("SUPERVISOR_ID", "");
            assertFalse(id.isBlank(), replica + " sets SUPERVISOR_ID");
            assertTrue(ids.add(id), "SUPERVISOR_ID " + id + " is unique");
            assertTrue(
                    elements(services.path(replica).path("ports")).isEmpty(),
                    replica + " publishes no host port: clients go through nginx");
        }
        assertTrue(
                elements(services.path("nginx").path("ports")).stream()
                        .anyMatch(p -> p.asText().endsWith(":8000:8000")),
                "nginx publishes :8000");
    }

    @Test
    void everyJavaServiceFindsRedisPostgresAndItsPeers() {
        javaServices.forEach((service, module) -> {
            Map<String, String> env = env(service);
            assertEquals(String.valueOf(SERVICES.get(module)), env.get("PORT"), service + " PORT");
            assertTrue(
                    env.containsKey("REDIS_URL") && env.containsKey("DATABASE_URL"),
                    service + " REDIS_URL, DATABASE_URL");
            assertEquals("redis", URI.create(env.get("REDIS_URL")).getHost(), service + " REDIS_URL host");
            assertEquals(6379, URI.create(env.get("REDIS_URL")).getPort(), service + " REDIS_URL port");
            URI database = URI.create(env.get("DATABASE_URL"));
            assertEquals("postgres", database.getHost(), service + " DATABASE_URL host");
            assertEquals(5432, database.getPort(), service + " DATABASE_URL port");
            Map<String, String> postgres = env("postgres");
            assertEquals("/" + postgres.get("POSTGRES_DB"), database.getPath(), service + " DATABASE_URL database");
            assertEquals(
                    postgres.get("POSTGRES_USER"),
                    database.getUserInfo(),
                    service + " DATABASE_URL user is the postgres service's (the password is DB_PASSWORD)");
            for (String key : env.keySet()) {
                assertTrue(
                        READ_OUTSIDE_PROPERTIES.contains(key) || Repo.readsEnv(module, key),
                        service + " env " + key + " is read by " + module);
            }
        });
        Map<String, String> peers = Map.of(
                "AGENT_REGISTRY_URL",
                "agent-registry-service",
                "STATE_SERVICE_URL",
                "state-service",
                "PROMPT_SERVICE_URL",
                "prompt-service");
        for (String replica : supervisorReplicas()) {
            peers.forEach((key, module) -> {
                URI uri = URI.create(env(replica).get(key));
                assertEquals(
                        module,
                        javaServices.get(uri.getHost()),
                        replica + " " + key + " names the " + module + " service");
                assertEquals(SERVICES.get(module), uri.getPort(), replica + " " + key + " port");
            });
        }
    }

    @Test
    void imagesBuildFromTheRootDockerfileWithTheFastJarLayout() {
        javaServices.forEach((service, module) -> {
            JsonNode build = services.path(service).path("build");
            assertEquals(".", build.path("context").asText(), service + " builds from the repository root");
            assertTrue(build.path("dockerfile").isMissingNode()
                    || "Dockerfile".equals(build.path("dockerfile").asText()));
            assertTrue(Files.isRegularFile(Repo.path(module + "/pom.xml")), "SERVICE=" + module + " is a module");
        });
        String dockerfile = Repo.read(Repo.path("Dockerfile"));
        assertTrue(dockerfile.contains("ARG SERVICE"), "Dockerfile takes the SERVICE build arg");
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(
                    dockerfile.contains("COPY ${SERVICE}/target/quarkus-app/" + part),
                    "Dockerfile copies quarkus-app/" + part + " (fast-jar layout)");
        }
        assertTrue(dockerfile.contains("quarkus-run.jar"), "Dockerfile runs quarkus-run.jar");
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        assertTrue(user.find() && !Set.of("0", "root").contains(user.group(1)), "the image runs as a non-root user");
        assertTrue(dockerfile.contains("exec java"), "java replaces the shell (PID 1 receives SIGTERM)");
        String ignore = Repo.read(Repo.path(".dockerignore"));
        assertTrue(ignore.contains("!*/target/quarkus-app"), ".dockerignore keeps the packaged apps in the context");
    }

    @Test
    void healthchecksOrderTheStartup() {
        services.properties()
                .forEach(e -> assertFalse(
                        e.getValue().path("healthcheck").path("test").isMissingNode(),
                        e.getKey() + " has a healthcheck"));
        javaServices.forEach((service, module) -> {
            String probe = String.join(
                    " ",
                    elements(services.path(service).at("/healthcheck/test")).stream()
                            .map(JsonNode::asText)
                            .toList());
            assertTrue(probe.contains("/q/health/ready"), service + " healthcheck asks /q/health/ready");
            assertHealthyDependency(service, "redis");
            assertHealthyDependency(service, "postgres");
        });
        for (String replica : supervisorReplicas()) {
            javaServices.forEach((peer, module) -> {
                if (!module.equals("supervisor-service")) {
                    assertHealthyDependency(replica, peer);
                }
            });
            assertHealthyDependency("nginx", replica);
        }
        assertHealthyDependency("grafana", "prometheus");
    }

    private static void assertHealthyDependency(String service, String dependency) {
        assertEquals(
                "service_healthy",
                services.path(service)
                        .at("/depends_on/" + dependency + "/condition")
                        .asText(),
                service + " waits for " + dependency + " to be healthy");
    }

    @Test
    void stopGraceOutlastsTheServicesShutdown() {
        javaServices.forEach((service, module) -> {
            Duration stop = Repo.duration(
                    services.path(service).path("stop_grace_period").asText("10s"));
            Duration inProcess = durationSetting(service, "SHUTDOWN_DELAY")
                    .orElse(Duration.ZERO)
                    .plus(durationSetting(service, "SHUTDOWN_GRACE").orElse(Duration.ofSeconds(30)));
            assertTrue(
                    stop.compareTo(inProcess) > 0,
                    service + " stop_grace_period " + stop + " > SHUTDOWN_DELAY + SHUTDOWN_GRACE " + inProcess);
        });
    }

    @Test
    void nginxBalancesOverEveryReplicaWithPassiveHealthAndPatientTimeouts() {
        assertTrue(
                volumes("nginx").contains("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"),
                "nginx mounts deploy/nginx.conf");
        String conf = Repo.read(Repo.path("deploy/nginx.conf")).replaceAll("(?m)#.*$", "");
        Matcher upstream = Pattern.compile("upstream\\s+(\\S+)\\s*\\{([^}]*)}").matcher(conf);
        assertTrue(upstream.find(), "nginx.conf has an upstream block");
        Set<String> servers = new TreeSet<>();
        Matcher server =
                Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)([^;]*);").matcher(upstream.group(2));
        while (server.find()) {
            servers.add(server.group(1));
            assertTrue(server.group(2).contains("max_fails="), server.group(1) + " has passive health (max_fails)");
            assertTrue(
                    server.group(2).contains("fail_timeout="), server.group(1) + " has passive health (fail_timeout)");
        }
        Set<String> replicas = new TreeSet<>();
        supervisorReplicas().forEach(r -> replicas.add(r + ":" + SERVICES.get("supervisor-service")));
        assertEquals(replicas, servers, "the upstream lists every supervisor replica");
        assertTrue(conf.contains("proxy_pass http://" + upstream.group(1) + ";"), "requests go to the upstream");
        assertTrue(Pattern.compile("listen\\s+8000\\s*;").matcher(conf).find(), "nginx listens on 8000");
        Duration leaseWait = durationSetting(supervisorReplicas().getFirst(), "SESSION_LEASE_MAX_WAIT")
                .orElse(Duration.ofSeconds(30));
        for (String directive : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            Matcher timeout = Pattern.compile(directive + "\\s+(\\S+);").matcher(conf);
            assertTrue(timeout.find(), "nginx sets " + directive);
            assertTrue(
                    Repo.duration(timeout.group(1)).compareTo(leaseWait) > 0,
                    directive + " " + timeout.group(1) + " outlasts SESSION_LEASE_MAX_WAIT " + leaseWait);
        }
        assertFalse(conf.contains("non_idempotent"), "nginx never resends a POST that reached a supervisor");
    }

    @Test
    void nginxLimitsLoginsPerClientAddressAndAnswersWithAProblem() {
        String conf = Repo.read(Repo.path("deploy/nginx.conf")).replaceAll("(?m)#.*$", "");
        Matcher zone = Pattern.compile("limit_req_zone\\s+\\$binary_remote_addr\\s+zone=(\\w+):")
                .matcher(conf);
        assertTrue(zone.find(), "a request limit keyed by the client address");
        Matcher login = Pattern.compile("location\\s+=\\s+/api/v1/auth/login\\s*\\{([^}]*)}")
                .matcher(conf);
        assertTrue(login.find(), "the login endpoint has a location of its own");
        assertTrue(login.group(1).contains("limit_req zone=" + zone.group(1)), "logins are limited per address");
        // a location with a proxy_set_header of its own would drop the server's, X-Forwarded-For among them
        assertFalse(login.group(1).contains("proxy_set_header"), "the login location inherits the server's headers");
        assertTrue(conf.contains("proxy_set_header X-Forwarded-For $remote_addr;"), "X-Forwarded-For is overwritten");
        assertTrue(Pattern.compile("limit_req_status\\s+429;").matcher(conf).find(), "refused logins are 429");
        assertTrue(
                conf.contains("application/problem+json") && conf.contains("Retry-After"),
                "the proxy's refusal is a problem with Retry-After");
    }

    @Test
    void prometheusScrapesEveryServiceAndEveryReplica() {
        assertTrue(
                volumes("prometheus").contains("./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro"),
                "prometheus mounts deploy/prometheus.yml");
        JsonNode config = Repo.yaml(Repo.path("deploy/prometheus.yml"));
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : elements(config.path("scrape_configs"))) {
            boolean quarkus = "/q/metrics".equals(job.path("metrics_path").asText());
            for (JsonNode staticConfig : elements(job.path("static_configs"))) {
                elements(staticConfig.path("targets")).forEach(t -> {
                    if (quarkus) {
                        scraped.add(t.asText());
                    }
                });
            }
        }
        javaServices.forEach((service, module) -> assertTrue(
                scraped.contains(service + ":" + SERVICES.get(module)),
                "Prometheus scrapes " + service + ":" + SERVICES.get(module) + "/q/metrics, scrapes " + scraped));
    }

    @Test
    void grafanaIsOptionalAndProvisionedWithPrometheusAndTheDashboard() {
        JsonNode grafana = services.path("grafana");
        assertTrue(
                elements(grafana.path("profiles")).stream()
                        .anyMatch(p -> p.asText().equals("grafana")),
                "grafana starts only with --profile grafana");
        services.properties().forEach(e -> {
            if (!e.getKey().equals("grafana")) {
                assertTrue(e.getValue().path("profiles").isMissingNode(), e.getKey() + " starts by default");
            }
        });
        assertTrue(
                elements(grafana.path("ports")).stream()
                        .anyMatch(p -> p.asText().endsWith(":3000:3000")),
                "grafana on :3000");
        String dashboardsMount = mountTarget("grafana", "./deploy/grafana/dashboards");
        assertEquals("/etc/grafana/provisioning", mountTarget("grafana", "./deploy/grafana/provisioning"));

        List<JsonNode> datasources = new ArrayList<>();
        List<JsonNode> providers = new ArrayList<>();
        for (Path file : yamlFiles(Repo.path("deploy/grafana/provisioning/datasources"))) {
            datasources.addAll(elements(Repo.yaml(file).path("datasources")));
        }
        for (Path file : yamlFiles(Repo.path("deploy/grafana/provisioning/dashboards"))) {
            providers.addAll(elements(Repo.yaml(file).path("providers")));
        }
        JsonNode prometheus = datasources.stream()
                .filter(d -> "prometheus".equals(d.path("type").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a provisioned Prometheus datasource"));
        URI url = URI.create(prometheus.path("url").asText());
        assertTrue(
                services.has(url.getHost()) && url.getPort() == 9090,
                "the datasource is the compose Prometheus: " + url);
        assertTrue(
                providers.stream()
                        .anyMatch(p ->
                                dashboardsMount.equals(p.at("/options/path").asText())),
                "a dashboard provider reads " + dashboardsMount);

        JsonNode dashboard = Repo.json(Repo.path("deploy/grafana/dashboards/switchboard.json"));
        String uid = prometheus.path("uid").asText();
        for (JsonNode panel : panels(dashboard)) {
            String ds = panel.at("/datasource/uid").asText();
            assertTrue(
                    ds.equals(uid) || ds.equals("${datasource}"),
                    panel.path("title").asText() + " datasource " + ds);
        }
    }

    private static String mountTarget(String service, String source) {
        return volumes(service).stream()
                .filter(v -> v.startsWith(source + ":"))
                .findFirst()
                .map(v -> v.split(":")[1])
                .orElseThrow(() -> new AssertionError(service + " mounts " + source));
    }

    private static List<Path> yamlFiles(Path dir) {
        try (var files = Files.list(dir)) {
            List<Path> out = files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
            assertFalse(out.isEmpty(), "provisioning files in " + dir);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return every non-row panel, rows' nested panels included */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : elements(dashboard.path("panels"))) {
            if ("row".equals(panel.path("type").asText())) {
                out.addAll(elements(panel.path("panels")));
            } else {
                out.add(panel);
            }
        }
        return out;
    }

    @Test
    void dashboardQueriesOnlyMetricsTheServicesExport() {
        JsonNode dashboard = Repo.json(Repo.path("deploy/grafana/dashboards/switchboard.json"));
        Set<String> registered = MetricNames.registeredInCode();
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : panels(dashboard)) {
            List<JsonNode> targets = elements(panel.path("targets"));
            assertFalse(targets.isEmpty(), "panel " + panel.path("title").asText() + " has queries");
            for (JsonNode target : targets) {
                Set<String> names = MetricNames.queriedBy(target.path("expr").asText());
                assertFalse(names.isEmpty(), "panel " + panel.path("title").asText() + " queries a metric");
                queried.addAll(names);
            }
        }
        for (String name : queried) {
            assertTrue(
                    MetricNames.isExported(name, registered),
                    name + " is registered in the services' code or a Quarkus standard meter; registered: "
                            + registered);
        }
        for (String required : List.of(
                "switchboard_chat_turns_total",
                "switchboard_chat_turn_duration_seconds_bucket",
                "switchboard_routing_decisions_total",
                "gen_ai_client_operation_duration_seconds_bucket",
                "gen_ai_client_token_usage_sum",
                "switchboard_lease_waits_total",
                "switchboard_lease_rejections_total",
                "switchboard_rate_limit_rejections_total",
                "switchboard_active_sessions",
                "registry_agents",
                "http_server_requests_seconds_count",
                "jvm_memory_used_bytes")) {
            assertTrue(queried.contains(required), "the dashboard shows " + required);
        }
    }

    @Test
    void metricNameExtractionSeesSeriesNotFunctionsLabelsOrRanges() {
        assertEquals(
                Set.of("switchboard_chat_turn_duration_seconds_bucket"),
                MetricNames.queriedBy(
                        "histogram_quantile(0.95, sum by (le, agent) (rate(switchboard_chat_turn_duration_seconds_bucket"
                                + "{outcome=\"ok\", job=~\"supervisor.*\"}[$__rate_interval])))"));
        assertEquals(
                Set.of("a_total", "b_total"),
                MetricNames.queriedBy(
                        "sum without (instance) (rate(a_total[5m])) / on (job) group_left sum(rate(b_total[5m]))"));
        Set<String> registered = Set.of("switchboard_chat_turns", "gen_ai_client_token_usage");
        assertTrue(MetricNames.isExported("switchboard_chat_turns_total", registered));
        assertTrue(MetricNames.isExported("gen_ai_client_token_usage_bucket", registered));
        assertTrue(MetricNames.isExported("jvm_memory_used_bytes", registered));
        assertFalse(MetricNames.isExported("switchboard_chat_turnz_total", registered));
        assertFalse(MetricNames.isExported("switchboard_chat_turns_total_extra_stuff", registered));
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        Optional<Path> compose = Repo.onPath("docker-compose");
        assumeTrue(compose.isPresent(), "docker-compose is not on PATH: compose's own validation not run");
        Repo.run(Duration.ofSeconds(60), compose.get().toString(), "-f", "docker-compose.yml", "config", "-q");
        String services = Repo.run(
                Duration.ofSeconds(60),
                compose.get().toString(),
                "-f",
                "docker-compose.yml",
                "--profile",
                "grafana",
                "config",
                "--services");
        assertTrue(services.lines().anyMatch("grafana"::equals), "the grafana profile adds grafana");
    }
}
