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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many supervisors, one truth: three supervisor-service processes on different ports share one
 * Redis, one PostgreSQL and one registry, state and prompt service. The LLM is a fake OpenAI endpoint in this
 * JVM that answers {@code "re: <message>"} after a short delay (so turns of one session overlap); every
 * request names {@code general_assistant_agent} explicitly so routing plays no part.
 *
 * <p>The class config is shared by every test: lease TTL 3 s, rate limit 60/min with a burst of 40 (tests
 * a–c and e use their own user ids, at most 30 messages each, so the burst never bites; test d drives one
 * user over it), shutdown grace 10 s. Tests that kill, stop or freeze a replica run last; every test starts by
 * restarting any process an earlier test left dead, stopped or draining, and uses ids of its own, so each also runs
 * on its own and a failed test does not fail the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "general_assistant_agent";
    private static final int REPLICAS = 3;
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final int RATE_PER_MINUTE = 60;
    private static final int RATE_BURST = 40;
    private static final int LLM_DELAY_MS = 30;

    /** Three replicas, all on the fake LLM and fake GHL; the limits and timeouts are the ones the tests reckon with. */
    @RegisterExtension
    static final Services services = new Services();

    private static FakeOpenAi llm;
    private static HttpClient http;
    private static ExecutorService clients;
    /** Stands in for the GoHighLevel API (replies to CRM webhooks). */
    private static WireMockServer ghl;
    /** Signs the test's GHL webhooks; its public key is the replicas' GHL_WEBHOOK_PUBLIC_KEY_ED25519. */
    private static KeyPair ghlKeys;

    private static final Duration WEBHOOK_VISIBILITY = Duration.ofSeconds(15);

    @BeforeAll
    static void startCluster() throws Exception {
        llm = new FakeOpenAi(LLM_DELAY_MS).start();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        clients = Executors.newFixedThreadPool(48);
        ghlKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ghl = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        ghl.start();
        ghl.stubFor(WireMock.post(WireMock.urlPathEqualTo("/conversations/messages"))
                .willReturn(WireMock.okJson("{\"conversationId\":\"conv-e2e\",\"messageId\":\"msg-e2e\"}")));

        services.supervisors(REPLICAS, ClusterIT::supervisorId)
                .supervisorEnv(Map.ofEntries(
                        Map.entry("RATE_LIMIT_PER_MINUTE", String.valueOf(RATE_PER_MINUTE)),
                        Map.entry("RATE_LIMIT_BURST", String.valueOf(RATE_BURST)),
                        Map.entry("SESSION_LEASE_TTL", LEASE_TTL.toSeconds() + "s"),
                        Map.entry("SHUTDOWN_GRACE", SHUTDOWN_GRACE.toSeconds() + "s"),
                        Map.entry("MAX_CONCURRENT_SESSIONS", "100"),
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
                        Map.entry("WEBHOOK_VISIBILITY_TIMEOUT", WEBHOOK_VISIBILITY.toSeconds() + "s"),
                        Map.entry("WEBHOOK_POLL_INTERVAL", "1s")))
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (clients != null) {
            clients.shutdownNow();
        }
        services.stop();
        if (llm != null) {
            llm.stop();
        }
        if (ghl != null) {
            ghl.stop();
        }
    }

    /**
     * 300 messages over 10 sessions, round-robin over the three replicas from 48 client threads: all 200 with
     * the default strategy (enqueue), and each session's history holds each of its 30 messages exactly once as
     * an adjacent user/assistant pair, in the order of the session's checkpoint chain.
     */
    @Test
    @Order(1)
    void concurrentMessagesOverThreeReplicasAreEachStoredOnceInLeaseOrder() throws Exception {
        String run = run();
        int sessions = 10;
        int perSession = 30;
        List<Sent> sent = new ArrayList<>();
        int n = 0;
        for (int m = 0; m < perSession; m++) {
            for (int s = 0; s < sessions; s++) {
                String session = "cl-a-" + run + "-s" + s;
                String user = "cl-a-" + run + "-u" + s;
                String text = "cluster " + run + " s" + s + "-m" + m;
                int replica = n++ % REPLICAS;
                sent.add(new Sent(
                        session, text, replica, clients.submit(() -> chat(replica, session, user, text, null))));
            }
        }

        List<String> failures = new ArrayList<>();
        Map<String, Reply> acknowledged = new HashMap<>();
        for (Sent s : sent) {
            Reply reply = s.reply().get(120, TimeUnit.SECONDS);
            if (reply.status() == 200) {
                acknowledged.put(s.text(), reply);
            } else {
                failures.add(s.text() + " via replica " + s.replica() + " -> " + reply.status() + " " + reply.body());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of 300 messages not answered 200, e.g. " + first(failures));

        for (int s = 0; s < sessions; s++) {
            String session = "cl-a-" + run + "-s" + s;
            History history = history(session, s % REPLICAS);
            List<String> expected = new ArrayList<>();
            for (Sent m : sent) {
                if (m.session().equals(session)) {
                    expected.add(m.text());
                }
            }
            assertEquals(perSession, history.userMessages().size(), session + " holds every message once");
            assertEquals(sorted(expected), sorted(history.userMessages()), session + " holds exactly its messages");
            assertAcknowledgedTurnsStored(session, history, expected, acknowledged);
        }
    }

    /**
     * While a slow turn holds a session on one replica, a message with {@code "multitask_strategy":"reject"}
     * on another replica gets 409 {@code session-busy} and is not stored; with {@code enqueue} (explicit or
     * the default) the later messages wait and run after it, in arrival order.
     */
    @Test
    @Order(2)
    void rejectAnswers409WhileTheSessionIsBusyAndEnqueueRunsAfterInArrivalOrder() throws Exception {
        String run = run();
        String session = "cl-b-" + run;
        String user = "cl-b-" + run + "-u";
        String first = "cluster " + run + " slow-first";
        llm.slow(run + " slow-first", 2000);
        Future<Reply> firstReply = clients.submit(() -> chat(0, session, user, first, null));
        awaitAsked(first, firstReply);

        String rejected = "cluster " + run + " rejected";
        Reply busy = chat(1, session, user, rejected, "reject");
        assertEquals(409, busy.status(), "reject while a turn runs: " + busy.body());
        assertTrue(busy.contentType().startsWith("application/problem+json"), busy.contentType());
        assertEquals(
                "https://switchboard.dev/problems/session-busy",
                busy.json().path("type").asText(),
                busy.body());
        assertEquals(200, firstReply.get(60, TimeUnit.SECONDS).status(), "the turn in flight completes");

        String second = "cluster " + run + " slow-second";
        llm.slow(run + " slow-second", 2000);
        Future<Reply> secondReply = clients.submit(() -> chat(1, session, user, second, null));
        awaitAsked(second, secondReply);
        String enqueued = "cluster " + run + " enqueued";
        Future<Reply> enqueuedReply = clients.submit(() -> chat(2, session, user, enqueued, "enqueue"));
        awaitArrived(session, enqueued, enqueuedReply); // arrival order: the explicit enqueue before the default one
        String byDefault = "cluster " + run + " default-strategy";
        Future<Reply> defaultReply = clients.submit(() -> chat(0, session, user, byDefault, null));

        for (Future<Reply> f : List.of(secondReply, enqueuedReply, defaultReply)) {
            Reply r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status(), "enqueue runs every message: " + r.body());
        }
        History history = history(session, 2);
        assertEquals(
                List.of(first, second, enqueued, byDefault),
                history.userMessages(),
                "the rejected message is not stored; queued ones run after the busy turn in arrival order");
        assertFalse(llm.asked(rejected), "a rejected message never reaches the model");
    }

    /**
     * Rate limit across the cluster: 90 requests of one new user spread over the three replicas admit the
     * burst (40) plus what the bucket refilled while they ran, no more; the others get 429 with Retry-After.
     */
    @Test
    @Order(3)
    void rateLimitHoldsAcrossReplicas() throws Exception {
        String run = run();
        String user = "cl-d-" + run;
        int total = 90;
        List<Future<Reply>> replies = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            int replica = i % REPLICAS;
            String text = "cluster " + run + " burst-" + i;
            replies.add(clients.submit(() -> chat(replica, null, user, text, null)));
        }
        int admitted = 0;
        int limited = 0;
        List<String> other = new ArrayList<>();
        for (Future<Reply> f : replies) {
            Reply r = f.get(60, TimeUnit.SECONDS);
            if (r.status() == 200) {
                admitted++;
            } else if (r.status() == 429) {
                limited++;
                assertEquals(
                        "https://switchboard.dev/problems/rate-limited",
                        r.json().path("type").asText(),
                        r.body());
                Optional<String> retryAfter = r.headers().firstValue("Retry-After");
                assertTrue(retryAfter.isPresent(), "429 carries Retry-After");
                assertTrue(Integer.parseInt(retryAfter.get().trim()) >= 1, "Retry-After in seconds: " + retryAfter);
            } else {
                other.add(r.status() + " " + r.body());
            }
        }
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        int refill = (int) Math.ceil(elapsedSeconds * RATE_PER_MINUTE / 60.0) + 1;
        assertTrue(other.isEmpty(), other.size() + " answers neither 200 nor 429, e.g. " + first(other));
        assertEquals(total, admitted + limited);
        assertTrue(admitted >= RATE_BURST, "the whole burst is admitted: " + admitted);
        assertTrue(
                admitted <= RATE_BURST + refill,
                "admitted " + admitted + " > burst " + RATE_BURST + " + refill " + refill + " in " + elapsedSeconds
                        + " s: the limit is not shared by the replicas");
    }

    /**
     * SIGKILL one replica in the middle of a load of 60 messages over 6 sessions: requests to the other two
     * all succeed, every session is usable again through them once the dead replica's leases expire, and
     * every acknowledged message is in its session's history exactly once.
     */
    @Test
    @Order(4)
    void sigkillOfOneReplicaLosesNothingAcknowledgedAndFreesItsSessions() throws Exception {
        String run = run();
        int sessions = 6;
        int perSession = 10;
        int victim = 2;
        llm.slow(run + " kill-", 150); // ~1.5 s of turns per session: the kill lands mid-load
        AtomicInteger answered = new AtomicInteger();
        List<Sent> sent = new ArrayList<>();
        int n = 0;
        for (int m = 0; m < perSession; m++) {
            for (int s = 0; s < sessions; s++) {
                String session = "cl-c-" + run + "-s" + s;
                String user = "cl-c-" + run + "-u" + s;
                String text = "cluster " + run + " kill-s" + s + "-m" + m;
                int replica = n++ % REPLICAS;
                sent.add(new Sent(session, text, replica, clients.submit(() -> {
                    Reply r = chat(replica, session, user, text, null);
                    answered.incrementAndGet();
                    return r;
                })));
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> answered.get() >= 6);
        services.supervisor(victim).kill();

        Map<String, Reply> acknowledged = new HashMap<>();
        List<String> survivorFailures = new ArrayList<>();
        int lostWithTheVictim = 0;
        for (Sent s : sent) {
            Reply reply;
            try {
                reply = s.reply().get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertEquals(
                        victim, s.replica(), "only requests to the killed replica fail to connect: " + e.getCause());
                assertTrue(e.getCause() instanceof IOException, "a connection error: " + e.getCause());
                lostWithTheVictim++;
                continue;
            }
            if (reply.status() == 200) {
                acknowledged.put(s.text(), reply);
            } else if (s.replica() != victim) {
                survivorFailures.add(
                        s.text() + " via replica " + s.replica() + " -> " + reply.status() + " " + reply.body());
            }
        }
        assertTrue(
                survivorFailures.isEmpty(),
                "the surviving replicas carry on, but " + survivorFailures.size() + " of their requests failed, e.g. "
                        + first(survivorFailures));
        assertTrue(lostWithTheVictim > 0, "the kill landed in the middle of the load");

        // Every session is usable again through the survivors (at the latest once the lease TTL has passed).
        for (int s = 0; s < sessions; s++) {
            String session = "cl-c-" + run + "-s" + s;
            String user = "cl-c-" + run + "-u" + s;
            int replica = s % 2;
            String text = "cluster " + run + " after-kill-s" + s;
            await().atMost(LEASE_TTL.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> chat(replica, session, user, text, "reject").status() == 200);
            acknowledged.put(text, null);
        }

        for (int s = 0; s < sessions; s++) {
            String session = "cl-c-" + run + "-s" + s;
            History history = history(session, s % 2);
            List<String> mine = new ArrayList<>();
            for (Sent m : sent) {
                if (m.session().equals(session)) {
                    mine.add(m.text());
                }
            }
            mine.add("cluster " + run + " after-kill-s" + s);
            for (String text : history.userMessages()) {
                assertTrue(mine.contains(text), session + " holds only its own messages: " + text);
                assertEquals(1, Collections.frequency(history.userMessages(), text), "stored once: " + text);
            }
            List<String> acked = mine.stream().filter(acknowledged::containsKey).toList();
            assertAcknowledgedTurnsStored(session, history, acked, acknowledged);
        }
    }

    /**
     * SIGTERM a replica while a slow turn runs on it: readiness goes down, the turn still completes with 200
     * and is stored, the process exits within the shutdown grace, and the cluster view of another replica no
     * longer lists it as up.
     */
    @Test
    @Order(5)
    void sigtermDrainsTheTurnInFlightAndDeregisters() throws Exception {
        int leaving = 1;
        int other = 0;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "up".equals(clusterView(other).get(supervisorId(leaving))));

        String run = run();
        String session = "cl-e-" + run;
        String text = "cluster " + run + " drain-me";
        llm.slow(run + " drain-me", 2000);
        Future<Reply> inFlight = clients.submit(() -> chat(leaving, session, "cl-e-" + run + "-u", text, null));
        awaitAsked(text, inFlight);
        ServiceProcess replica = services.supervisor(leaving);
        replica.sigterm();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !replica.ready());
        Reply reply = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), "the turn in flight completes: " + reply.body());
        assertEquals(FakeOpenAi.answerTo(text), reply.json().path("response").asText());
        assertTrue(replica.awaitExit(SHUTDOWN_GRACE.plusSeconds(5)), "exits within the shutdown grace");

        assertEquals(List.of(text), history(session, other).userMessages(), "the drained turn is stored");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !"up".equals(clusterView(other).get(supervisorId(leaving))));
        assertEquals("up", clusterView(other).get(supervisorId(other)), "the cluster view still lists the others");
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Sent(String session, String text, int replica, Future<Reply> reply) {}

    private record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    /**
     * Prompts are data: a new version of an agent's prompt saved through prompt-service's admin API is
     * what every replica uses for its next turn, without restart, within 1 s (events on {@code sb:events:prompts}).
     */
    @Test
    @Order(6)
    void promptChangeReachesEveryReplicaWithinOneSecond() throws Exception {
        String run = run();
        double[][] before = new double[REPLICAS][];
        for (int i = 0; i < REPLICAS; i++) { // every replica has the current version cached
            assertEquals(
                    200,
                    chat(i, null, "cl-p-" + run + "-u", "cluster " + run + " warm " + i, null)
                            .status());
            before[i] = promptEventsApplied(i);
        }
        String marker = "Hot-reloaded " + run + ".";
        String content =
                "You are {{agent_name}} of {{business_name}}. " + marker + " Today is {{current_date}} ({{timezone}}).";
        HttpResponse<String> put = http.send(
                E2eAuth.admin(HttpRequest.newBuilder(
                                URI.create(services.prompts().url() + "/admin/prompts/general-assistant-system")))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                Map.of("content", content, "author", "e2e", "message", "hot reload test"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        // every replica applies the change's event; each measures how long after the change it did
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (int i = 0; i < REPLICAS; i++) {
                        if (promptEventsApplied(i)[0] <= before[i][0]) {
                            return false;
                        }
                    }
                    return true;
                });
        for (int i = 0; i < REPLICAS; i++) {
            double seconds = promptEventsApplied(i)[1] - before[i][1];
            assertTrue(seconds <= 1.0, "replica " + i + " applied the change " + seconds + " s after it was made");
        }

        for (int i = 0; i < REPLICAS; i++) {
            String message = "cluster " + run + " after change " + i;
            assertEquals(200, chat(i, null, "cl-p-" + run + "-u", message, null).status());
            String system = llm.systemPromptFor(message);
            assertTrue(
                    system != null && system.contains(marker),
                    "replica " + i + " used the new prompt once it had applied the change: " + system);
        }
    }

    /**
     * @return of a replica's {@code switchboard_event_propagation_seconds{channel="prompts"}}: the number of prompt
     *         events it applied, and the sum of their delays from the change (event timestamp) to applied, seconds
     */
    private static double[] promptEventsApplied(int replica) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(services.supervisor(replica).url() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        double[] countAndSum = new double[2];
        for (String line : response.body().lines().toList()) {
            if (!line.contains("channel=\"prompts\"")) {
                continue;
            }
            if (line.startsWith("switchboard_event_propagation_seconds_count{")) {
                countAndSum[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("switchboard_event_propagation_seconds_sum{")) {
                countAndSum[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return countAndSum;
    }

    /**
     * CRM webhooks survive a lost replica: the one working on a GoHighLevel message is killed with SIGKILL while the
     * model answers; after the visibility timeout another replica claims the row, answers it, and GHL receives exactly
     * one reply for the event.
     */
    @Test
    @Order(7)
    void webhookRowOfAKilledReplicaIsFinishedElsewhereWithExactlyOneReply() throws Exception {
        String run = run();
        String contact = "c-" + run;
        String text = "cluster " + run + " webhook-crash";
        llm.slow(run + " webhook-crash", 3000);
        ObjectNode event = JSON.createObjectNode()
                .put("type", "InboundMessage")
                .put("locationId", "loc-e2e")
                .put("contactId", contact)
                .put("conversationId", "conv-" + contact)
                .put("body", text)
                .put("messageType", "SMS")
                .put("direction", "inbound")
                .put("messageId", "in-" + run)
                .put("webhookId", "wh-" + run)
                .put("timestamp", Instant.now().toString());
        byte[] body = JSON.writeValueAsBytes(event);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ghlKeys.getPrivate());
        signer.update(body);
        HttpResponse<String> accepted = http.send(
                E2eAuth.admin(HttpRequest.newBuilder(
                                URI.create(services.supervisor(0).url() + "/webhooks/ghl")))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("x-ghl-signature", Base64.getEncoder().encodeToString(signer.sign()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        long id = JSON.readTree(accepted.body()).path("id").asLong();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> llm.asked(text));
        String holder = get(services.supervisor(0).url() + "/webhooks/queue/" + id)
                .path("claimed_by")
                .asText();
        int killed = -1;
        for (int i = 0; i < REPLICAS; i++) {
            if (supervisorId(i).equals(holder)) {
                killed = i;
            }
        }
        assertTrue(killed >= 0, "the row is claimed by a replica: " + holder);
        services.supervisor(killed).kill();

        int survivor = (killed + 1) % REPLICAS;
        String rowUrl = services.supervisor(survivor).url() + "/webhooks/queue/" + id;
        await().atMost(WEBHOOK_VISIBILITY.plusSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "completed".equals(get(rowUrl).path("status").asText()));
        JsonNode row = get(rowUrl);
        assertFalse(holder.equals(row.path("claimed_by").asText()), "finished by another replica: " + row);
        assertEquals("msg-e2e", row.path("outbound_message_id").asText());
        assertEquals(
                1,
                ghl.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/conversations/messages"))
                                .withRequestBody(WireMock.containing(contact)))
                        .size(),
                "exactly one reply to the contact");
    }

    /**
     * A stale lease holder can't write: replica 0 is frozen (SIGSTOP) in the middle of a turn until its lease expired,
     * replica 1 takes the session for the next message, and while replica 1's turn still runs (it has not written),
     * replica 0 is thawed (SIGCONT) and finishes its turn: state-service refuses its write against replica 1's lease,
     * its client gets 409 {@code lease-lost}, and the session holds the earlier turn and replica 1's, nothing of the
     * frozen one.
     */
    @Test
    @Order(8)
    void aReplicaFrozenPastItsLeaseCannotWriteEvenBeforeTheNewHolderHas() throws Exception {
        String run = run();
        String session = "cl-f-" + run;
        String user = "cl-f-" + run + "-u";
        String lease = "sb:supervisor:lease:" + session;
        String before = "cluster " + run + " fence-before";
        assertEquals(200, chat(0, session, user, before, null).status(), "an earlier turn");

        String stale = "cluster " + run + " fence-stale";
        String fresh = "cluster " + run + " fence-fresh";
        llm.hold(stale);
        llm.hold(fresh);
        ServiceProcess frozen = services.supervisor(0);
        try {
            Future<Reply> staleReply = clients.submit(() -> chat(0, session, user, stale, null));
            awaitAsked(stale, staleReply); // replica 0 holds the lease, inside its turn
            long staleToken = leaseToken(lease);
            assertTrue(services.redis("GET", lease).get(0).startsWith(supervisorId(0) + "|"), "replica 0 holds it");

            frozen.pause();
            await().atMost(LEASE_TTL.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> services.redis("GET", lease).isEmpty()); // expired: nobody renewed it

            Future<Reply> freshReply = clients.submit(() -> chat(1, session, user, fresh, null));
            awaitAsked(fresh, freshReply); // replica 1 holds a newer lease and has not written yet
            assertTrue(services.redis("GET", lease).get(0).startsWith(supervisorId(1) + "|"), "replica 1 holds it");
            assertTrue(leaseToken(lease) > staleToken, "replica 1's token is newer");

            llm.release(stale); // the answer waits in the frozen replica's socket
            frozen.resume();
            Reply refused = staleReply.get(60, TimeUnit.SECONDS);
            assertEquals(409, refused.status(), "the stale holder's turn is not answered: " + refused.body());
            assertEquals(
                    "https://switchboard.dev/problems/lease-lost",
                    refused.json().path("type").asText(),
                    refused.body());
            assertFalse(freshReply.isDone(), "replica 1 had not written when the stale write was refused");

            llm.release(fresh);
            Reply answered = freshReply.get(60, TimeUnit.SECONDS);
            assertEquals(200, answered.status(), answered.body());
            assertEquals(
                    FakeOpenAi.answerTo(fresh), answered.json().path("response").asText());
        } finally {
            llm.release(stale);
            llm.release(fresh);
            frozen.resume();
        }

        History history = history(session, 2);
        assertEquals(
                List.of(before, fresh), history.userMessages(), "only the new holder's turn after the earlier one");
    }

    /** @return the fencing token of the lease stored under {@code key} ({@code supervisor|request|token}) */
    private static long leaseToken(String key) {
        List<String> value = services.redis("GET", key);
        assertFalse(value.isEmpty(), key + " is held");
        return Long.parseLong(value.get(0).substring(value.get(0).lastIndexOf('|') + 1));
    }

    /** A session's stored messages and turns, checked for structure (see {@link #history}). */
    private record History(
            List<String> userMessages, Map<String, String> turnOfMessage, Map<String, String> checkpointOfTurn) {}

    /** POST /chat on a replica; a connection failure is thrown as IOException. */
    private static Reply chat(int replica, String session, String user, String message, String strategy)
            throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        if (session != null) {
            body.put("session_id", session);
        }
        body.put("user_id", user);
        body.put("agent", AGENT);
        if (strategy != null) {
            body.put("multitask_strategy", strategy);
        }
        HttpRequest request = E2eAuth.admin(HttpRequest.newBuilder(
                        URI.create(services.supervisor(replica).url() + "/chat")))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                E2eAuth.admin(HttpRequest.newBuilder(URI.create(url)))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + url + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /**
     * Reads a session through a supervisor and checks its structure: every turn is ok and is one adjacent
     * user/assistant pair (same turn id, the model's answer to that very message); the turn records are in the
     * order of the pairs; and that order is the order of the session's checkpoint chain in state-service
     * (versions consecutive, each checkpoint's parent the previous one), i.e. the order the writers held the
     * session's lease.
     */
    private static History history(String sessionId, int replica) throws IOException, InterruptedException {
        JsonNode session = get(services.supervisor(replica).url() + "/sessions/" + sessionId);
        JsonNode messages = session.path("messages");
        JsonNode turns = session.path("turns");
        assertEquals(2 * turns.size(), messages.size(), sessionId + ": two messages per turn");
        List<String> userMessages = new ArrayList<>();
        Map<String, String> turnOfMessage = new HashMap<>();
        List<String> pairOrder = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += 2) {
            JsonNode user = messages.get(i);
            JsonNode assistant = messages.get(i + 1);
            assertEquals("user", user.path("role").asText(), sessionId + " message " + i);
            assertEquals("assistant", assistant.path("role").asText(), sessionId + " message " + (i + 1));
            String turnId = user.path("turn_id").asText();
            assertEquals(turnId, assistant.path("turn_id").asText(), sessionId + ": user/assistant pair adjacent");
            assertEquals(
                    FakeOpenAi.answerTo(user.path("content").asText()),
                    assistant.path("content").asText(),
                    sessionId + ": the answer follows its own question");
            userMessages.add(user.path("content").asText());
            turnOfMessage.put(user.path("content").asText(), turnId);
            pairOrder.add(turnId);
        }
        List<String> turnOrder = new ArrayList<>();
        Map<String, String> checkpointOfTurn = new HashMap<>();
        for (JsonNode turn : turns) {
            assertEquals("ok", turn.path("outcome").asText(), sessionId + ": " + turn);
            turnOrder.add(turn.path("turn_id").asText());
            checkpointOfTurn.put(
                    turn.path("turn_id").asText(), turn.path("checkpoint_id").asText());
        }
        assertEquals(pairOrder, turnOrder, sessionId + ": turn records in message order");
        assertEquals(turnOrder.size(), new java.util.HashSet<>(turnOrder).size(), sessionId + ": no turn twice");

        List<JsonNode> chain = checkpoints(sessionId);
        List<String> checkpointTurns = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            JsonNode cp = chain.get(i);
            if (i > 0) {
                assertEquals(
                        chain.get(i - 1).path("version").asLong() + 1,
                        cp.path("version").asLong(),
                        sessionId + ": checkpoint versions consecutive");
                assertEquals(
                        chain.get(i - 1).path("checkpoint_id").asText(),
                        cp.path("parent_id").asText(),
                        sessionId + ": one linear checkpoint chain (no lost or forked write)");
            }
            if ("turn".equals(cp.path("metadata").path("source").asText())) {
                String turnId = cp.path("metadata").path("turn_id").asText();
                checkpointTurns.add(turnId);
                assertEquals(
                        checkpointOfTurn.get(turnId),
                        cp.path("checkpoint_id").asText(),
                        sessionId + ": turn " + turnId + " records its checkpoint");
            }
        }
        assertEquals(turnOrder, checkpointTurns, sessionId + ": history order = checkpoint (lease) order");
        assertEquals(
                chain.get(chain.size() - 1).path("version").asLong(),
                session.path("version").asLong(),
                sessionId + ": the session is at its newest checkpoint");
        return new History(userMessages, turnOfMessage, checkpointOfTurn);
    }

    /** All checkpoints of a session from state-service, oldest first. */
    private static List<JsonNode> checkpoints(String sessionId) throws IOException, InterruptedException {
        List<JsonNode> newestFirst = new ArrayList<>();
        String before = null;
        for (int page = 0; page < 20; page++) {
            JsonNode body = get(services.state().url() + "/threads/" + sessionId + "/checkpoints?limit=100"
                    + (before == null ? "" : "&before=" + before));
            body.path("checkpoints").forEach(newestFirst::add);
            JsonNode next = body.path("next");
            if (next.isNull() || next.isMissingNode() || next.asText().isEmpty()) {
                break;
            }
            before = next.asText();
        }
        List<JsonNode> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        assertFalse(oldestFirst.isEmpty(), sessionId + " has checkpoints");
        return oldestFirst;
    }

    /** Each acknowledged message is stored once, under the turn and checkpoint its 200 response named. */
    private static void assertAcknowledgedTurnsStored(
            String session, History history, List<String> texts, Map<String, Reply> acknowledged) {
        for (String text : texts) {
            assertEquals(1, Collections.frequency(history.userMessages(), text), session + " stores once: " + text);
            Reply reply = acknowledged.get(text);
            if (reply == null) {
                continue;
            }
            JsonNode body = reply.json();
            assertEquals(session, body.path("session_id").asText());
            assertEquals(FakeOpenAi.answerTo(text), body.path("response").asText());
            String turnId = history.turnOfMessage().get(text);
            assertEquals(turnId, body.path("turn_id").asText(), "the acknowledged turn is the stored one: " + text);
            assertEquals(
                    history.checkpointOfTurn().get(turnId),
                    body.path("checkpoint_id").asText(),
                    "the acknowledged checkpoint is the stored one: " + text);
        }
    }

    /** {@code GET /system/stats} of a replica: its cluster view, instance id → status ({@code up}, {@code stale}). */
    private static Map<String, String> clusterView(int replica) throws IOException, InterruptedException {
        JsonNode stats = get(services.supervisor(replica).url() + "/system/stats");
        assertTrue(stats.path("instances").isArray(), "/system/stats lists the instances: " + stats);
        Map<String, String> view = new HashMap<>();
        for (JsonNode instance : stats.path("instances")) {
            view.put(instance.path("id").asText(), instance.path("status").asText());
        }
        return view;
    }

    /** Waits (bounded) until the model has the message, i.e. its turn holds the session's lease. */
    private static void awaitAsked(String message, Future<Reply> inFlight) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!llm.asked(message) && inFlight.isDone()) {
                        throw new AssertionError(
                                "'" + message + "' ended before reaching the model: " + inFlight.get());
                    }
                    return llm.asked(message);
                });
    }

    /**
     * Waits (bounded) until {@code message}, sent while another turn holds its session, has arrived: it waits in
     * the session's queue (Redis ZSET {@code sb:supervisor:waiters:<session>}, scored by its arrival in milliseconds
     * of Redis' clock), or has already reached the model. When queued, also waits until Redis' clock is past that
     * millisecond, so that a message sent afterwards gets a later score and a later place in the queue.
     */
    private static void awaitArrived(String session, String message, Future<Reply> inFlight) {
        String waiters = "sb:supervisor:waiters:" + session;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (llm.asked(message)) {
                        return true;
                    }
                    if (inFlight.isDone()) {
                        throw new AssertionError("'" + message + "' ended before it was queued: " + inFlight.get());
                    }
                    return !services.redis("ZRANGE", waiters, "0", "-1").isEmpty();
                });
        List<String> queued = services.redis("ZRANGE", waiters, "-1", "-1", "WITHSCORES");
        if (!queued.isEmpty()) {
            long arrival = (long) Double.parseDouble(queued.get(1));
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> redisMillis() > arrival);
        }
    }

    /** @return Redis' clock ({@code TIME}) in milliseconds, the clock the session queue scores arrivals with */
    private static long redisMillis() {
        List<String> time = services.redis("TIME");
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static String supervisorId(int replica) {
        return "cluster-supervisor-" + replica;
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> first(List<String> list) {
        return list.subList(0, Math.min(3, list.size()));
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
