package dev.switchboard.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outages of Redis and PostgreSQL, end to end: state-service and the supervisor reach both through a {@link TcpProxy}
 * the test cuts (connections closed, new ones refused) or stalls (connections open, not a byte through), while the
 * machine's servers keep running. With Redis out, sessions are read from PostgreSQL, {@code /chat} answers 503
 * {@code dependency-unavailable} with {@code Retry-After} within a second, and CRM webhooks are still queued; with
 * PostgreSQL out, {@code /chat} answers 503 promptly and webhooks 429 (GoHighLevel delivers again). Once the proxy
 * forwards again everything resumes without a restart, and nothing acknowledged before is lost.
 */
class OutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "general_assistant_agent";
    /** The requirement: a chat refused for a Redis outage is answered within a second. */
    private static final Duration REDIS_OUTAGE_ANSWER = Duration.ofMillis(1000);
    /**
     * A chat refused for a PostgreSQL outage: state-service gives up after {@code DB_TIMEOUT} (2 s) when PostgreSQL is
     * silent, once; well below the supervisor's own 5 s limit for state-service, let alone a hang.
     */
    private static final Duration POSTGRES_OUTAGE_ANSWER = Duration.ofMillis(4000);
    /** How long the suite may take to work again once the proxy forwards (reconnects, an orphaned lease's TTL). */
    private static final Duration RESUME = Duration.ofSeconds(30);

    @RegisterExtension
    static final Services services = new Services();

    private static TcpProxy redis;
    private static TcpProxy postgres;
    private static FakeOpenAi llm;
    private static WireMockServer ghl;
    private static KeyPair ghlKeys;
    private static HttpClient http;

    @BeforeAll
    static void startSuite() throws Exception {
        llm = new FakeOpenAi(20).start();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        ghlKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ghl = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        ghl.start();
        ghl.stubFor(WireMock.post(WireMock.urlPathEqualTo("/conversations/messages"))
                .willReturn(WireMock.okJson("{\"conversationId\":\"conv-e2e\",\"messageId\":\"msg-e2e\"}")));
        services.supervisors(1, i -> "e2e-outage")
                .supervisorEnv(Map.ofEntries(
                        Map.entry("OPENAI_BASE_URL", llm.baseUrl()),
                        Map.entry("OPENAI_API_KEY", "e2e-test-key"),
                        Map.entry("OPENAI_MODEL", "gpt-4o-mini"),
                        Map.entry("GHL_API_BASE_URL", ghl.baseUrl()),
                        Map.entry("GHL_API_TOKEN", "e2e-ghl-token"),
                        Map.entry("GHL_LOCATION_IDS", "loc-e2e"),
                        Map.entry(
                                "GHL_WEBHOOK_PUBLIC_KEY_ED25519",
                                Base64.getEncoder()
                                        .encodeToString(ghlKeys.getPublic().getEncoded())),
                        Map.entry("WEBHOOK_POLL_INTERVAL", "1s"),
                        Map.entry("WEBHOOK_BREAKER_WAIT", "1s")))
                .chatPathThrough(
                        url -> {
                            redis = TcpProxy.to(url);
                            return redis.url(url);
                        },
                        url -> {
                            postgres = TcpProxy.to(url);
                            return postgres.url(url);
                        })
                .start();
    }

    /** A test that failed half-way must not leave the next one an outage. */
    @AfterEach
    void restoreConnections() {
        if (redis != null) {
            redis.restore();
        }
        if (postgres != null) {
            postgres.restore();
        }
    }

    @AfterAll
    static void stopSuite() {
        services.stop();
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (llm != null) {
            llm.stop();
        }
        if (ghl != null) {
            ghl.stop();
        }
    }

    @Test
    void redisRefusingConnectionsLeavesSessionsReadableAndWebhooksQueuedAndChatAnswers503WithinASecond()
            throws Exception {
        redisOutage(redis::cut);
    }

    @Test
    void redisStalledLeavesSessionsReadableAndWebhooksQueuedAndChatAnswers503WithinASecond() throws Exception {
        redisOutage(redis::stall);
    }

    @Test
    void postgresRefusingConnectionsMakesChatAnswer503PromptlyAndLosesNothingAcknowledged() throws Exception {
        postgresOutage(postgres::cut);
    }

    @Test
    void postgresStalledMakesChatAnswer503PromptlyAndLosesNothingAcknowledged() throws Exception {
        postgresOutage(postgres::stall);
    }

    private void redisOutage(Runnable outage) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String user = "outage-" + run;
        Reply first = chat(null, user, "redis outage " + run + " before");
        assertEquals(200, first.status(), first.body());
        String session = JSON.readTree(first.body()).path("session_id").asText();
        double fallbacksBefore = metric(services.state().url(), "switchboard_state_redis_fallbacks_total");

        outage.run();

        // Sessions are read from PostgreSQL: from state-service, through the supervisor, and a user's list.
        JsonNode read = get(services.state().url() + "/sessions/" + session);
        assertEquals(
                List.of("redis outage " + run + " before", FakeOpenAi.answerTo("redis outage " + run + " before")),
                contents(read));
        assertEquals(
                2,
                contents(get(services.supervisor(0).url() + "/sessions/" + session))
                        .size());
        JsonNode listed = get(services.state().url() + "/sessions/user/" + user);
        assertEquals(session, listed.path("sessions").path(0).path("session_id").asText(), listed.toString());
        assertTrue(
                metric(services.state().url(), "switchboard_state_redis_fallbacks_total") > fallbacksBefore,
                "the reads fell back to PostgreSQL");

        // Chat needs the session lease, which lives in Redis: 503 with Retry-After, fast, for old and new sessions.
        for (String sessionId : new String[] {session, null}) {
            long start = System.nanoTime();
            Reply refused = chat(sessionId, user, "redis outage " + run + " during");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.status(), refused.body());
            assertProblem(refused, "dependency-unavailable");
            assertTrue(
                    took.compareTo(REDIS_OUTAGE_ANSWER) < 0,
                    "answered in " + took.toMillis() + " ms, not within " + REDIS_OUTAGE_ANSWER.toMillis());
        }

        // A CRM webhook needs only PostgreSQL to be acknowledged: it is queued.
        String contact = "c-" + run;
        Reply accepted = webhook(contact, "redis outage " + run + " webhook");
        assertEquals(202, accepted.status(), accepted.body());
        long row = JSON.readTree(accepted.body()).path("id").asLong();
        String rowUrl = services.supervisor(0).url() + "/webhooks/queue/" + row;
        assertTrue(
                List.of("pending", "processing")
                        .contains(get(rowUrl).path("status").asText()),
                "queued, not dead-lettered");

        redis.restore();

        // Without a restart: chat works again on the same session, with its history, and the queued webhook is
        // answered once.
        Reply after = awaitChat(session, user, "redis outage " + run + " after");
        assertEquals(session, JSON.readTree(after.body()).path("session_id").asText());
        List<String> history = contents(get(services.supervisor(0).url() + "/sessions/" + session));
        assertEquals("redis outage " + run + " before", history.get(0), history.toString());
        assertEquals("redis outage " + run + " after", history.get(history.size() - 2), history.toString());
        assertFalse(history.contains("redis outage " + run + " during"), "a refused chat stores nothing");
        await().atMost(RESUME)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "completed".equals(get(rowUrl).path("status").asText()));
        assertEquals(
                1,
                ghl.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/conversations/messages"))
                                .withRequestBody(WireMock.containing(contact)))
                        .size(),
                "one reply to the contact");
    }

    private void postgresOutage(Runnable outage) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String user = "outage-" + run;
        List<String> acknowledged = new ArrayList<>();
        String session = null;
        for (String message : List.of("pg outage " + run + " one", "pg outage " + run + " two")) {
            Reply reply = chat(session, user, message);
            assertEquals(200, reply.status(), reply.body());
            session = JSON.readTree(reply.body()).path("session_id").asText();
            acknowledged.add(message);
        }

        outage.run();

        // A turn cannot be stored: 503 with Retry-After, promptly, for an old session and a new one.
        for (String sessionId : new String[] {session, null}) {
            long start = System.nanoTime();
            Reply refused = chat(sessionId, user, "pg outage " + run + " during");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.status(), refused.body());
            assertProblem(refused, "dependency-unavailable");
            assertTrue(
                    took.compareTo(POSTGRES_OUTAGE_ANSWER) < 0,
                    "answered in " + took.toMillis() + " ms, not within " + POSTGRES_OUTAGE_ANSWER.toMillis());
        }
        // A webhook cannot be stored, so it is not acknowledged: 429 tells GoHighLevel to deliver it again.
        long start = System.nanoTime();
        Reply webhook = webhook("c-" + run, "pg outage " + run + " webhook");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(429, webhook.status(), webhook.body());
        assertProblem(webhook, "webhook-backpressure");
        assertTrue(took.compareTo(POSTGRES_OUTAGE_ANSWER) < 0, "answered in " + took.toMillis() + " ms");

        postgres.restore();

        awaitChat(session, user, "pg outage " + run + " after");
        List<String> users = userMessages(get(services.supervisor(0).url() + "/sessions/" + session));
        // acknowledged turns are all there, in order; a refused turn may have been stored late (its write reached
        // PostgreSQL after the timeout), never lost or reordered
        assertEquals(acknowledged, users.subList(0, 2), users.toString());
        assertEquals("pg outage " + run + " after", users.getLast(), users.toString());
        // stored now (200 duplicate: a stalled first delivery's insert still committed after its 429)
        Reply again = webhook("c-" + run, "pg outage " + run + " webhook");
        assertTrue(
                again.status() == 202 || again.status() == 200,
                "the delivery GoHighLevel repeats is stored now: " + again.status() + " " + again.body());
    }

    /** POSTs the chat until one answers 200 (the suite reconnecting), bounded by {@link #RESUME}. */
    private static Reply awaitChat(String session, String user, String message) {
        List<Reply> last = new ArrayList<>(1);
        await().atMost(RESUME).pollInterval(Duration.ofMillis(500)).until(() -> {
            Reply reply = chat(session, user, message);
            last.clear();
            last.add(reply);
            return reply.status() == 200;
        });
        return last.getFirst();
    }

    private static void assertProblem(Reply reply, String slug) throws IOException {
        JsonNode problem = JSON.readTree(reply.body());
        assertEquals(
                "https://switchboard.dev/problems/" + slug, problem.path("type").asText(), reply.body());
        assertTrue(
                reply.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                reply.headers().toString());
        String retryAfter = reply.headers().firstValue("Retry-After").orElse("");
        assertTrue(retryAfter.matches("\\d+"), "Retry-After: '" + retryAfter + "'");
    }

    private static List<String> contents(JsonNode session) {
        List<String> contents = new ArrayList<>();
        session.path("messages").forEach(m -> contents.add(m.path("content").asText()));
        return contents;
    }

    private static List<String> userMessages(JsonNode session) {
        List<String> contents = new ArrayList<>();
        session.path("messages").forEach(m -> {
            if ("user".equals(m.path("role").asText())) {
                contents.add(m.path("content").asText());
            }
        });
        return contents;
    }

    /** The sum of a counter's series on {@code /q/metrics} (0 when it has none yet). */
    private static double metric(String serviceUrl, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private record Reply(int status, String body, HttpHeaders headers) {}

    /** POST /chat to the supervisor; {@code session} {@code null} starts a new one. */
    private static Reply chat(String session, String user, String message) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        if (session != null) {
            body.put("session_id", session);
        }
        body.put("user_id", user);
        body.put("agent", AGENT);
        return send(E2eAuth.admin(
                        HttpRequest.newBuilder(URI.create(services.supervisor(0).url() + "/chat")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A signed GoHighLevel InboundMessage for {@code contact}, as GHL delivers it. */
    private static Reply webhook(String contact, String text) throws Exception {
        ObjectNode event = JSON.createObjectNode()
                .put("type", "InboundMessage")
                .put("locationId", "loc-e2e")
                .put("contactId", contact)
                .put("conversationId", "conv-" + contact)
                .put("body", text)
                .put("messageType", "SMS")
                .put("direction", "inbound")
                .put("messageId", "in-" + contact)
                .put("webhookId", "wh-" + contact)
                .put("timestamp", Instant.now().toString());
        byte[] body = JSON.writeValueAsBytes(event);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ghlKeys.getPrivate());
        signer.update(body);
        return send(HttpRequest.newBuilder(URI.create(services.supervisor(0).url() + "/webhooks/ghl"))
                .header("Content-Type", "application/json")
                .header("x-ghl-signature", Base64.getEncoder().encodeToString(signer.sign()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        Reply reply =
                send(E2eAuth.admin(HttpRequest.newBuilder(URI.create(url))).GET());
        assertEquals(200, reply.status(), "GET " + url + ": " + reply.body());
        return JSON.readTree(reply.body());
    }

    private static Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }
}
