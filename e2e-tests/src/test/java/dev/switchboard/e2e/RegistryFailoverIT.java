package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live registry as processes: two registry replicas (A and B) on one PostgreSQL and Redis,
 * two supervisors that read registry A, and a remote agent (an HTTP server in this JVM). A registered agent
 * reaches both supervisors by events, survives a {@code kill -9} of the registry together with a flush of the
 * registry's Redis keys and a supervisor restart, and a silent remote agent is marked unhealthy exactly once
 * although both registry replicas run the heartbeat monitor; unhealthy agents are not routed to, a heartbeat
 * brings the agent back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryFailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Two registry replicas that notice a silent agent within seconds; two supervisors that read replica A. */
    @RegisterExtension
    static final Services services = new Services();

    private static HttpServer remoteAgent;
    private static ServiceProcess registryA;
    private static ServiceProcess registryB;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @BeforeAll
    static void start() throws Exception {
        remoteAgent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remoteAgent.createContext("/agent", exchange -> {
            byte[] body = "{\"reply\":\"pong from the remote agent\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        remoteAgent.start();
        services.registries(2)
                .registryEnv(Map.of("HEARTBEAT_TIMEOUT", "3s", "HEARTBEAT_CHECK_INTERVAL", "1s"))
                .supervisors(2, i -> "failover-" + i)
                .start();
        registryA = services.registry(0);
        registryB = services.registry(1);
    }

    @AfterAll
    static void stop() {
        services.stop();
        if (remoteAgent != null) {
            remoteAgent.stop(0);
        }
    }

    private static String register(String name) throws Exception {
        String body = """
                {"name":"%s","description":"Answers ping questions from a remote service","capabilities":["ping"],
                 "kind":"remote","endpoint":"http://127.0.0.1:%d/agent","examples":["ping the remote service"]}""".formatted(name, remoteAgent.getAddress().getPort());
        HttpResponse<String> r = HTTP.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(registryA.url() + "/agents")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return name;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(url))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private static HttpResponse<String> chat(ServiceProcess supervisor, String agent) throws Exception {
        String session = "s-" + UUID.randomUUID();
        String body = JSON.writeValueAsString(Map.of(
                "message", "ping?", "session_id", session, "user_id", "u-" + session.substring(2, 14), "agent", agent));
        return HTTP.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(supervisor.url() + "/chat")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String supervisorStatus(ServiceProcess supervisor, String agent) throws Exception {
        JsonNode agents = get(supervisor.url() + "/agents");
        JsonNode entry = agents == null ? null : agents.path("agents").get(agent);
        return entry == null ? null : entry.path("status").asText();
    }

    /** Waits (bounded by {@link #WAIT}) until {@code condition} holds; a check that throws counts as not yet. */
    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(condition);
    }

    /** One heartbeat of {@code name}, to registry A or, while A is down, to B; never fails. */
    private static void heartbeat(String name) {
        for (ServiceProcess r : List.of(registryA, registryB)) {
            try {
                HTTP.send(
                        E2eAuth.admin(HttpRequest.newBuilder(URI.create(r.url() + "/agents/" + name + "/heartbeat")))
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // the other replica takes it
            }
        }
    }

    /** @return how many Redis connections subscribe to the registry's agent event channel */
    private static int agentEventSubscribers() {
        return Integer.parseInt(
                services.redis("PUBSUB", "NUMSUB", "sb:events:agents").get(1));
    }

    @Test
    @Order(1)
    void anAgentSurvivesRegistryKillRedisFlushAndSupervisorRestart() throws Exception {
        String name = register("ping_agent_" + UUID.randomUUID().toString().substring(0, 8));
        // heartbeats every 0.5 s keep it active while this test runs (timeout 3 s)
        ScheduledExecutorService beating = Executors.newSingleThreadScheduledExecutor();
        beating.scheduleWithFixedDelay(() -> heartbeat(name), 0, 500, TimeUnit.MILLISECONDS);
        try {
            for (ServiceProcess s : services.supervisors()) {
                await(name + " active in " + s.url(), () -> "active".equals(supervisorStatus(s, name)));
                HttpResponse<String> r = chat(s, name);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(
                        "pong from the remote agent",
                        JSON.readTree(r.body()).path("response").asText());
            }

            registryA.kill(); // kill -9
            List<String> keys = services.redis("KEYS", "sb:registry:*");
            if (!keys.isEmpty()) {
                List<String> del = new ArrayList<>(List.of("DEL"));
                del.addAll(keys);
                services.redis(del.toArray(String[]::new));
            }
            // the supervisors keep routing from their caches while registry A is down
            assertEquals(200, chat(services.supervisor(0), name).statusCode());
            registryA.start();
            JsonNode agent = get(registryA.url() + "/agents/" + name);
            assertEquals("active", agent.path("status").asText(), "loaded from PostgreSQL after restart and flush");

            ServiceProcess restarted = services.supervisor(1);
            restarted.stop();
            restarted.start();
            await(name + " in the restarted supervisor", () -> "active".equals(supervisorStatus(restarted, name)));
            assertEquals(200, chat(restarted, name).statusCode());
        } finally {
            beating.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void twoRegistryReplicasMarkASilentAgentUnhealthyOnceAndAHeartbeatRestoresIt() throws Exception {
        String name = "silent_agent_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new CopyOnWriteArrayList<>();
        int subscribers = agentEventSubscribers();
        HttpResponse<java.io.InputStream> stream = HTTP.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(registryB.url() + "/agents/events")))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data:") && line.contains("\"agent\":\"" + name + "\"")) {
                        events.add(line.substring(5).strip());
                    }
                }
            } catch (Exception ignored) {
                // closed at the end
            }
        });
        try {
            // the stream's Redis subscription is in place (Redis counts it) before the registration is published
            await("the event stream subscribed", () -> agentEventSubscribers() > subscribers);
            register(name);
            await("registered event", () -> events.size() >= 1);
            await(
                    name + " unhealthy",
                    () -> "unhealthy"
                            .equals(get(registryB.url() + "/agents/" + name)
                                    .path("status")
                                    .asText()));
            for (ServiceProcess s : services.supervisors()) {
                await(name + " unhealthy in " + s.url(), () -> "unhealthy".equals(supervisorStatus(s, name)));
                HttpResponse<String> refused = chat(s, name);
                assertEquals(409, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("agent-unavailable"), refused.body());
            }
            // "nothing more changes" has no event to wait for: watch the row for a window of 2.5 s instead, more
            // than two monitor passes of each replica (HEARTBEAT_CHECK_INTERVAL 1 s), sampling it all along
            Awaitility.await("revision stays 2")
                    .during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () -> get(registryA.url() + "/agents/" + name)
                                    .path("revision")
                                    .asInt(),
                            r -> r == 2);
            JsonNode row = get(registryA.url() + "/agents/" + name);
            assertEquals(2, row.path("revision").asInt(), "one replica's conditional UPDATE changed it, once");

            HttpResponse<String> beat = HTTP.send(
                    E2eAuth.admin(HttpRequest.newBuilder(
                                    URI.create(registryB.url() + "/agents/" + name + "/heartbeat")))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, beat.statusCode());
            assertTrue(beat.body().contains("\"status\":\"active\""), beat.body());
            for (ServiceProcess s : services.supervisors()) {
                await(name + " active again in " + s.url(), () -> "active".equals(supervisorStatus(s, name)));
                assertEquals(200, chat(s, name).statusCode());
            }
            await("three events", () -> events.size() >= 3);
            List<String> types = events.stream()
                    .map(e -> {
                        try {
                            return JSON.readTree(e).path("type").asText();
                        } catch (Exception ex) {
                            return "?";
                        }
                    })
                    .toList();
            assertEquals(
                    List.of("agent.registered", "agent.status_changed", "agent.status_changed"), types.subList(0, 3));
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }
}
