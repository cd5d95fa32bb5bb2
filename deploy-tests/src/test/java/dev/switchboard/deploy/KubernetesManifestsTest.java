package dev.switchboard.deploy;

import static dev.switchboard.deploy.Manifests.containerPorts;
import static dev.switchboard.deploy.Manifests.containers;
import static dev.switchboard.deploy.Manifests.podLabels;
import static dev.switchboard.deploy.Manifests.resolvePort;
import static dev.switchboard.deploy.Manifests.selects;
import static dev.switchboard.deploy.Repo.SERVICES;
import static dev.switchboard.deploy.Repo.elements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The k8s/ manifests, checked without a cluster: first as the files the overlays' kustomizations list, then
 * (when {@code kubectl} is on PATH) as {@code kubectl kustomize} renders each overlay with its patches.
 */
class KubernetesManifestsTest {

    /**
     * What is read besides application.properties: DATABASE_URL (switchboard-common's config source) and
     * JAVA_OPTS_APPEND (the image's launcher, see Dockerfile).
     */
    private static final Set<String> READ_OUTSIDE_PROPERTIES = Set.of("DATABASE_URL", "JAVA_OPTS_APPEND");

    /** ConfigMap keys each service must carry (the environment names deployments already set). */
    private static final Map<String, Set<String>> CONFIG_KEYS = Map.of(
            "supervisor-service",
                    Set.of(
                            "REDIS_URL",
                            "LOG_LEVEL",
                            "AGENT_REGISTRY_URL",
                            "STATE_SERVICE_URL",
                            "PROMPT_SERVICE_URL",
                            "MAX_CONCURRENT_SESSIONS",
                            "RATE_LIMIT_PER_MINUTE",
                            "RATE_LIMIT_BURST",
                            "REGISTRY_SYNC_INTERVAL",
                            "OPENAI_BASE_URL",
                            "OPENAI_MODEL",
                            "SHUTDOWN_GRACE",
                            "SESSION_LEASE_TTL",
                            "SESSION_LEASE_MAX_WAIT",
                            "IDEMPOTENCY_TTL",
                            "SUPERVISOR_HEARTBEAT_INTERVAL",
                            "GHL_API_BASE_URL",
                            "GHL_LOCATION_IDS",
                            "WEBHOOK_WORKER_CONCURRENCY",
                            "WEBHOOK_MAX_ATTEMPTS",
                            "WEBHOOK_VISIBILITY_TIMEOUT"),
            "agent-registry-service", Set.of("REDIS_URL", "LOG_LEVEL", "HEARTBEAT_TIMEOUT", "HEARTBEAT_CHECK_INTERVAL"),
            "state-service", Set.of("REDIS_URL", "LOG_LEVEL", "REDIS_TTL"),
            "prompt-service", Set.of("REDIS_URL", "LOG_LEVEL", "AGENT_REGISTRY_URL"));

    /** Secret keys each service must carry. */
    private static final Map<String, Set<String>> SECRET_KEYS = Map.of(
            "supervisor-service",
                    Set.of(
                            "DATABASE_URL",
                            "OPENAI_API_KEY",
                            "GHL_API_TOKEN",
                            "WEBHOOK_SECRET",
                            "SWITCHBOARD_ADMIN_PASSWORD"),
            "agent-registry-service", Set.of("DATABASE_URL"),
            "state-service", Set.of("DATABASE_URL"),
            "prompt-service", Set.of("DATABASE_URL"));

    /** The in-process shutdown grace assumed for a service that does not read SHUTDOWN_GRACE. */
    private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private static final Path DEV = Repo.path("k8s/overlays/dev");
    private static final Path PROD = Repo.path("k8s/overlays/prod");
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    static Stream<Named<Supplier<Manifests>>> overlays() {
        return Stream.concat(devOverlays(), prodOverlays());
    }

    static Stream<Named<Supplier<Manifests>>> devOverlays() {
        return Stream.of(files("dev"), kubectl("dev"));
    }

    static Stream<Named<Supplier<Manifests>>> prodOverlays() {
        return Stream.of(files("prod"), kubectl("prod"));
    }

    /**
     * @return the overlay in a copy of k8s/ where {@code ./switchboard secrets} generated the files the dev overlay's
     *         secretGenerator reads, as a user does before applying it
     */
    private static Path generated(String overlay) {
        return GeneratedSecrets.root().resolve("k8s/overlays/" + overlay);
    }

    private static Named<Supplier<Manifests>> files(String overlay) {
        return Named.of("files " + overlay, () -> Manifests.fromFiles(generated(overlay)));
    }

    /** A kubectl rendering; skipped (assumption) when kubectl is not on PATH. */
    private static Named<Supplier<Manifests>> kubectl(String overlay) {
        return Named.of("kubectl kustomize " + overlay, () -> {
            Optional<Path> kubectl = Repo.onPath("kubectl");
            assumeTrue(kubectl.isPresent(), "kubectl is not on PATH: rendered overlays not checked");
            return RENDERED.computeIfAbsent(overlay, k -> Manifests.fromKubectl(kubectl.get(), generated(overlay)));
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasADeploymentAndAService(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (String service : SERVICES.keySet()) {
            m.get("Deployment", service);
            m.get("Service", service);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void deploymentsProbeHealthEndpointsOnTheServicePort(Supplier<Manifests> source) {
        Manifests m = source.get();
        SERVICES.forEach((service, port) -> {
            JsonNode deployment = m.get("Deployment", service);
            JsonNode container = containers(deployment).getFirst();
            assertTrue(
                    containerPorts(deployment).stream()
                            .anyMatch(p -> p.path("containerPort").asInt() == port),
                    service + " declares container port " + port);
            assertEquals(Optional.of(String.valueOf(port)), env(container, "PORT"), service + " env PORT");
            assertProbe(deployment, container.path("readinessProbe"), "/q/health/ready", port, "readiness");
            assertProbe(deployment, container.path("livenessProbe"), "/q/health/live", port, "liveness");
            assertProbe(deployment, container.path("startupProbe"), null, port, "startup");
        });
    }

    private static void assertProbe(JsonNode deployment, JsonNode probe, String path, int port, String what) {
        String name = deployment.at("/metadata/name").asText();
        assertFalse(probe.isMissingNode(), name + " has a " + what + " probe");
        JsonNode get = probe.path("httpGet");
        if (path != null) {
            assertEquals(path, get.path("path").asText(), name + " " + what + " probe path");
        } else {
            assertTrue(get.path("path").asText().startsWith("/q/health"), name + " " + what + " probe on /q/health/*");
        }
        assertEquals(
                Optional.of(port),
                resolvePort(deployment, get.path("port")),
                name + " " + what + " probe port is the declared container port " + port);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasResourceRequestsAndLimits(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (JsonNode workload : m.workloads()) {
            for (JsonNode container : containers(workload)) {
                String name = workload.at("/metadata/name").asText() + "/"
                        + container.path("name").asText();
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(
                                container
                                        .at("/resources/" + bound + "/" + resource)
                                        .asText()
                                        .isBlank(),
                                name + " sets resources." + bound + "." + resource);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void terminationGraceOutlastsPreStopAndShutdownGrace(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (String service : SERVICES.keySet()) {
            JsonNode deployment = m.get("Deployment", service);
            JsonNode container = containers(deployment).getFirst();
            Duration preStop =
                    preStopSleep(container).orElseThrow(() -> new AssertionError(service + " has a preStop sleep"));
            assertTrue(preStop.toSeconds() >= 1, service + " preStop sleeps at least 1 s");
            Map<String, String> config = m.configMapData(service + "-config");
            Duration grace = shutdownSetting(service, config, "SHUTDOWN_GRACE").orElse(DEFAULT_SHUTDOWN_GRACE);
            Duration delay = shutdownSetting(service, config, "SHUTDOWN_DELAY").orElse(Duration.ZERO);
            JsonNode period = deployment.at("/spec/template/spec/terminationGracePeriodSeconds");
            assertTrue(period.isInt(), service + " sets terminationGracePeriodSeconds");
            assertTrue(
                    period.asLong() > preStop.plus(delay).plus(grace).toSeconds(),
                    service + ": terminationGracePeriodSeconds " + period.asLong() + " > preStop " + preStop.toSeconds()
                            + " s + SHUTDOWN_DELAY " + delay.toMillis() + " ms + SHUTDOWN_GRACE " + grace.toSeconds()
                            + " s");
        }
    }

    /** The ConfigMap's value, else the default in the service's application.properties. */
    private static Optional<Duration> shutdownSetting(String service, Map<String, String> config, String env) {
        return Optional.ofNullable(config.get(env))
                .or(() -> Repo.envDefault(service, env))
                .filter(v -> !v.isBlank())
                .map(Repo::duration);
    }

    /** The preStop delay: {@code exec: [sleep, N]} (or a shell running {@code sleep N}), or {@code sleep: {seconds}}. */
    private static Optional<Duration> preStopSleep(JsonNode container) {
        JsonNode preStop = container.at("/lifecycle/preStop");
        if (preStop.path("sleep").has("seconds")) {
            return Optional.of(Duration.ofSeconds(preStop.at("/sleep/seconds").asLong()));
        }
        String command = String.join(
                " ",
                elements(preStop.at("/exec/command")).stream()
                        .map(JsonNode::asText)
                        .toList());
        var matcher = java.util.regex.Pattern.compile("\\bsleep\\s+(\\d+)").matcher(command);
        return matcher.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(matcher.group(1)))) : Optional.empty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunAsNonRootWithoutPrivilegeEscalation(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (JsonNode workload : m.workloads()) {
            JsonNode pod = workload.at("/spec/template/spec");
            for (JsonNode container : containers(workload)) {
                String name = workload.at("/metadata/name").asText() + "/"
                        + container.path("name").asText();
                boolean nonRoot = container
                        .at("/securityContext/runAsNonRoot")
                        .asBoolean(pod.at("/securityContext/runAsNonRoot").asBoolean(false));
                assertTrue(nonRoot, name + " runs as non-root");
                assertFalse(
                        container
                                .at("/securityContext/allowPrivilegeEscalation")
                                .asBoolean(true),
                        name + " sets allowPrivilegeEscalation: false");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void supervisorIdIsThePodName(Supplier<Manifests> source) {
        JsonNode container =
                containers(source.get().get("Deployment", "supervisor-service")).getFirst();
        JsonNode env = elements(container.path("env")).stream()
                .filter(e -> "SUPERVISOR_ID".equals(e.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("supervisor-service sets SUPERVISOR_ID"));
        assertEquals(
                "metadata.name",
                env.at("/valueFrom/fieldRef/fieldPath").asText(),
                "SUPERVISOR_ID comes from the pod name (downward API)");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSelectTheirPodsAndTargetDeclaredPorts(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (JsonNode workload : m.workloads()) {
            assertTrue(
                    selects(workload.at("/spec/selector"), podLabels(workload)),
                    workload.at("/metadata/name").asText() + " selector matches its own pod labels");
        }
        for (JsonNode service : m.all("Service")) {
            String name = service.at("/metadata/name").asText();
            List<JsonNode> selected = m.workloads().stream()
                    .filter(w -> selects(service.at("/spec/selector"), podLabels(w)))
                    .toList();
            assertEquals(1, selected.size(), "Service " + name + " selects the pods of exactly one workload");
            JsonNode workload = selected.getFirst();
            assertEquals(name, workload.at("/metadata/name").asText(), "Service " + name + " selects its namesake");
            for (JsonNode port : elements(service.at("/spec/ports"))) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                assertTrue(
                        resolvePort(workload, target).isPresent(),
                        "Service " + name + " targets declared container port " + target);
            }
        }
        SERVICES.forEach((service, port) -> {
            JsonNode http = elements(m.get("Service", service).at("/spec/ports")).stream()
                    .filter(p -> "http".equals(p.path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("Service " + service + " has a port named http"));
            assertEquals(port, http.path("port").asInt(), "Service " + service + " http port");
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void hpaScalesTheSupervisorDeploymentOnCpu(Supplier<Manifests> source) {
        Manifests m = source.get();
        List<JsonNode> hpas = m.all("HorizontalPodAutoscaler");
        assertEquals(1, hpas.size(), "one HorizontalPodAutoscaler");
        JsonNode hpa = hpas.getFirst();
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
        JsonNode target = hpa.at("/spec/scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertEquals("supervisor-service", target.path("name").asText());
        assertEquals("apps/v1", target.path("apiVersion").asText());
        JsonNode deployment = m.get("Deployment", "supervisor-service");
        assertTrue(
                deployment.at("/spec/replicas").isMissingNode(),
                "the supervisor Deployment leaves replicas to the HPA (an apply would reset them)");
        int min = hpa.at("/spec/minReplicas").asInt();
        int max = hpa.at("/spec/maxReplicas").asInt();
        assertTrue(min >= 2, "at least two supervisors: " + min);
        assertTrue(max >= 10 && max > min, "room to scale out: " + min + ".." + max);
        assertTrue(
                elements(hpa.at("/spec/metrics")).stream()
                        .anyMatch(metric -> "Resource"
                                        .equals(metric.path("type").asText())
                                && "cpu".equals(metric.at("/resource/name").asText())
                                && metric.at("/resource/target/averageUtilization")
                                                .asInt()
                                        > 0),
                "scales on CPU utilisation");
        assertTrue(
                hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt() >= 60,
                "scale-down waits for a stable signal");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void disruptionBudgetKeepsASupervisor(Supplier<Manifests> source) {
        Manifests m = source.get();
        List<JsonNode> pdbs = m.all("PodDisruptionBudget");
        assertEquals(1, pdbs.size(), "one PodDisruptionBudget");
        JsonNode pdb = pdbs.getFirst();
        assertEquals("policy/v1", pdb.path("apiVersion").asText());
        for (JsonNode workload : m.workloads()) {
            boolean supervisor =
                    "supervisor-service".equals(workload.at("/metadata/name").asText());
            assertEquals(
                    supervisor,
                    selects(pdb.at("/spec/selector"), podLabels(workload)),
                    "the PDB selects the supervisor pods and no others: "
                            + workload.at("/metadata/name").asText());
        }
        int minAvailable = pdb.at("/spec/minAvailable").asInt();
        int minReplicas = m.all("HorizontalPodAutoscaler")
                .getFirst()
                .at("/spec/minReplicas")
                .asInt();
        assertTrue(
                minAvailable >= 1 && minAvailable < minReplicas,
                "minAvailable " + minAvailable + " keeps one up yet lets a drain proceed (HPA min " + minReplicas
                        + ")");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsCarryPrometheusAnnotations(Supplier<Manifests> source) {
        Manifests m = source.get();
        SERVICES.forEach((service, port) -> {
            JsonNode annotations = m.get("Deployment", service).at("/spec/template/metadata/annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), service + " prometheus.io/scrape");
            assertEquals(
                    "/q/metrics", annotations.path("prometheus.io/path").asText(), service + " prometheus.io/path");
            assertEquals(
                    String.valueOf(port),
                    annotations.path("prometheus.io/port").asText(),
                    service + " prometheus.io/port");
        });
    }

    @ParameterizedTest
    @MethodSource("prodOverlays")
    void serviceMonitorScrapesTheFourServicesAtQMetrics(Supplier<Manifests> source) {
        Manifests m = source.get();
        List<JsonNode> monitors = m.all("ServiceMonitor");
        assertEquals(1, monitors.size(), "one ServiceMonitor");
        JsonNode monitor = monitors.getFirst();
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        for (JsonNode service : m.all("Service")) {
            String name = service.at("/metadata/name").asText();
            assertEquals(
                    SERVICES.containsKey(name),
                    selects(monitor.at("/spec/selector"), Manifests.labels(service)),
                    "the ServiceMonitor selects exactly the four services: " + name);
        }
        List<JsonNode> endpoints = elements(monitor.at("/spec/endpoints"));
        assertFalse(endpoints.isEmpty(), "ServiceMonitor endpoints");
        for (JsonNode endpoint : endpoints) {
            assertEquals("http", endpoint.path("port").asText(), "scrapes the Services' http port");
            assertEquals("/q/metrics", endpoint.path("path").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void configMapsAndSecretsCarryTheEnvironmentNamesTheServicesRead(Supplier<Manifests> source) {
        Manifests m = source.get();
        for (String service : SERVICES.keySet()) {
            JsonNode container = containers(m.get("Deployment", service)).getFirst();
            assertEquals(
                    List.of(service + "-config"),
                    Manifests.envFromNames(container, "configMapRef"),
                    service + " takes its settings from ConfigMap " + service + "-config");
            assertEquals(
                    List.of(service + "-secrets", "switchboard-auth"),
                    Manifests.envFromNames(container, "secretRef"),
                    service + " takes its secrets from Secret " + service + "-secrets and the shared switchboard-auth");
            assertEquals(
                    "false", m.configMapData(service + "-config").get("SKIP_AUTH"), service + ": authentication is on");
            m.secretData("switchboard-auth").ifPresent(auth -> {
                assertTrue(
                        auth.keySet().containsAll(Set.of("SERVICE_TOKEN", "JWT_SECRET_KEY", "SWITCHBOARD_API_KEYS")),
                        "switchboard-auth carries the auth settings, has " + auth.keySet());
                assertTrue(
                        auth.get("SERVICE_TOKEN").length() >= 32
                                && auth.get("JWT_SECRET_KEY").length() >= 32,
                        "the services refuse to start with a service token or JWT secret under 32 characters");
                for (String key : auth.keySet()) {
                    assertTrue(readBy(service, key), "switchboard-auth key " + key + " is read by " + service);
                }
            });
            Map<String, String> config = m.configMapData(service + "-config");
            assertTrue(
                    config.keySet().containsAll(CONFIG_KEYS.get(service)),
                    service + "-config carries " + CONFIG_KEYS.get(service) + ", has " + config.keySet());
            m.secretData(service + "-secrets")
                    .ifPresent(secret -> assertTrue(
                            secret.keySet().containsAll(SECRET_KEYS.get(service)),
                            service + "-secrets carries " + SECRET_KEYS.get(service) + ", has " + secret.keySet()));
            for (String key : config.keySet()) {
                assertTrue(
                        readBy(service, key),
                        service + "-config key " + key + " is read by " + service + " (application.properties ${" + key
                                + ":...})");
            }
            for (JsonNode env : elements(container.path("env"))) {
                String key = env.path("name").asText();
                assertTrue(readBy(service, key), service + " env " + key + " is read by " + service);
            }
        }
    }

    /** Whether the service's application.properties reads the environment name (or common code does). */
    private static boolean readBy(String service, String env) {
        return READ_OUTSIDE_PROPERTIES.contains(env) || Repo.readsEnv(service, env);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void peerUrlsNameServicesAndTheirPorts(Supplier<Manifests> source) {
        Manifests m = source.get();
        Map<String, String> supervisor = m.configMapData("supervisor-service-config");
        Map<String, String> peers = Map.of(
                "AGENT_REGISTRY_URL",
                "agent-registry-service",
                "STATE_SERVICE_URL",
                "state-service",
                "PROMPT_SERVICE_URL",
                "prompt-service");
        peers.forEach((env, service) -> {
            URI uri = URI.create(supervisor.get(env));
            assertEquals(service, uri.getHost(), env);
            assertEquals(SERVICES.get(service), uri.getPort(), env + " port");
        });
    }

    @ParameterizedTest
    @MethodSource("devOverlays")
    void devOverlayRunsRedisAndPostgresWhereTheServicesLookForThem(Supplier<Manifests> source) {
        Manifests m = source.get();
        JsonNode redis = m.workload("redis").orElseThrow(() -> new AssertionError("dev runs Redis"));
        JsonNode postgres = m.workload("postgres").orElseThrow(() -> new AssertionError("dev runs PostgreSQL"));
        assertTrue(containers(redis).getFirst().path("image").asText().startsWith("redis:"));
        assertTrue(containers(postgres).getFirst().path("image").asText().startsWith("postgres:"));
        assertTrue(hasPersistentVolume(m, postgres), "PostgreSQL keeps its data on a PersistentVolumeClaim");
        for (String service : SERVICES.keySet()) {
            URI redisUrl = URI.create(m.configMapData(service + "-config").get("REDIS_URL"));
            assertServiceAt(m, redisUrl, service + " REDIS_URL");
            Map<String, String> secret = m.secretData(service + "-secrets")
                    .orElseThrow(() -> new AssertionError("dev ships " + service + "-secrets"));
            assertServiceAt(m, URI.create(secret.get("DATABASE_URL")), service + " DATABASE_URL");
        }
    }

    private static boolean hasPersistentVolume(Manifests m, JsonNode workload) {
        if (!elements(workload.at("/spec/volumeClaimTemplates")).isEmpty()) {
            return true;
        }
        return elements(workload.at("/spec/template/spec/volumes")).stream()
                .map(v -> v.at("/persistentVolumeClaim/claimName").asText())
                .anyMatch(claim -> !claim.isEmpty()
                        && m.find("PersistentVolumeClaim", claim).isPresent());
    }

    private static void assertServiceAt(Manifests m, URI url, String what) {
        JsonNode service = m.find("Service", url.getHost())
                .orElseThrow(() -> new AssertionError(what + " names Service " + url.getHost() + ", which dev lacks"));
        assertTrue(
                elements(service.at("/spec/ports")).stream()
                        .anyMatch(p -> p.path("port").asInt() == url.getPort()),
                what + ": Service " + url.getHost() + " serves port " + url.getPort());
    }

    /** The dev overlay's Secrets are generated (./switchboard secrets), fresh, and agree with each other. */
    @ParameterizedTest
    @MethodSource("devOverlays")
    void devOverlayGeneratesFreshSecretsThatAgree(Supplier<Manifests> source) {
        Manifests m = source.get();
        Set<String> published = KnownSecretsListTest.listed();
        String password = m.secretData("postgres-credentials")
                .orElseThrow(() -> new AssertionError("dev generates Secret postgres-credentials"))
                .get("POSTGRES_PASSWORD");
        assertFalse(published.contains(KnownSecretsListTest.sha256(password)), "a fresh PostgreSQL password");
        JsonNode postgres = containers(m.workload("postgres").orElseThrow()).getFirst();
        JsonNode passwordEnv = elements(postgres.path("env")).stream()
                .filter(e -> "POSTGRES_PASSWORD".equals(e.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("PostgreSQL gets POSTGRES_PASSWORD"));
        assertEquals(
                "postgres-credentials",
                passwordEnv.at("/valueFrom/secretKeyRef/name").asText(),
                "PostgreSQL's password comes from the generated Secret");
        for (String service : SERVICES.keySet()) {
            URI database =
                    URI.create(m.secretData(service + "-secrets").orElseThrow().get("DATABASE_URL"));
            assertEquals("switchboard:" + password, database.getUserInfo(), service + " logs in with that password");
        }
        Map<String, String> auth = m.secretData("switchboard-auth").orElseThrow();
        for (String key : List.of("SERVICE_TOKEN", "JWT_SECRET_KEY")) {
            assertFalse(published.contains(KnownSecretsListTest.sha256(auth.get(key))), key + " is fresh");
        }
    }

    /** No committed manifest holds a Secret: dev generates them from git-ignored files, prod leaves them to you. */
    @Test
    void noSecretIsCommitted() {
        try (Stream<Path> files = Files.walk(Repo.path("k8s"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> {
                for (JsonNode object : Repo.yamlDocuments(f)) {
                    assertFalse(
                            "Secret".equals(object.path("kind").asText()),
                            Repo.ROOT.relativize(f) + " defines Secret "
                                    + object.at("/metadata/name").asText());
                }
            });
        } catch (java.io.IOException e) {
            fail(e);
        }
        assertTrue(
                Repo.read(Repo.path(".gitignore")).lines().anyMatch("k8s/overlays/dev/secrets/"::equals),
                "the generated k8s/overlays/dev/secrets/ is git-ignored");
    }

    @ParameterizedTest
    @MethodSource("prodOverlays")
    void prodOverlayRunsNoDatabasesOfItsOwn(Supplier<Manifests> source) {
        Manifests m = source.get();
        List<String> workloads = m.workloads().stream()
                .map(w -> w.at("/metadata/name").asText())
                .sorted()
                .toList();
        assertEquals(SERVICES.keySet().stream().sorted().toList(), workloads, "prod runs the four services only");
        for (JsonNode workload : m.workloads()) {
            for (JsonNode container : containers(workload)) {
                String image = container.path("image").asText();
                assertFalse(image.startsWith("redis") || image.startsWith("postgres"), "no database image: " + image);
            }
        }
    }

    @Test
    void renderedProdLeavesSecretsToTheOperatorAndPinsImages() {
        Optional<Path> kubectl = Repo.onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not on PATH: rendered overlays not checked");
        Manifests prod = RENDERED.computeIfAbsent("prod", k -> Manifests.fromKubectl(kubectl.get(), generated("prod")));
        assertTrue(prod.all("Secret").isEmpty(), "kubectl apply -k prod never overwrites the real Secrets");
        for (String service : SERVICES.keySet()) {
            String image = containers(prod.get("Deployment", service))
                    .getFirst()
                    .path("image")
                    .asText();
            assertFalse(image.endsWith(":latest") || !image.contains(":"), service + " image is pinned: " + image);
        }
        Set<String> namespaces = new java.util.HashSet<>();
        for (JsonNode object : prod.objects()) {
            if (!"Namespace".equals(object.path("kind").asText())) {
                namespaces.add(object.at("/metadata/namespace").asText());
            }
        }
        assertEquals(Set.of("switchboard"), namespaces, "everything in namespace switchboard");
    }

    @Test
    void everyKustomizationResourceExistsAndEveryManifestIsListed() {
        List<Path> listed = new ArrayList<>();
        for (Path dir : List.of(Repo.path("k8s/base"), DEV, PROD, Repo.path("k8s/components/monitoring"))) {
            JsonNode kustomization = Repo.yaml(dir.resolve("kustomization.yaml"));
            assertNotNull(kustomization.get("kind"), dir + " kustomization kind");
            for (String field : List.of("resources", "components")) {
                for (JsonNode entry : elements(kustomization.path(field))) {
                    Path target = dir.resolve(entry.asText()).normalize();
                    assertTrue(Files.exists(target), dir + " lists " + entry.asText());
                    listed.add(target);
                }
            }
        }
        try (Stream<Path> files = Files.walk(Repo.path("k8s"))) {
            files.filter(f -> f.toString().endsWith(".yaml")
                            && !f.getFileName().toString().equals("kustomization.yaml"))
                    .forEach(f -> assertTrue(
                            listed.contains(f.normalize()),
                            Repo.ROOT.relativize(f) + " is listed by a kustomization (else it is never applied)"));
        } catch (java.io.IOException e) {
            fail(e);
        }
    }

    private static Optional<String> env(JsonNode container, String name) {
        return elements(container.path("env")).stream()
                .filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText())
                .findFirst();
    }
}
