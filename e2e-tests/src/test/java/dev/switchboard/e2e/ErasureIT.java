package dev.switchboard.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Erasure across the four packaged services: a user who chatted (with a turn still running when the erasure comes)
 * and a CRM contact whose webhook was queued and answered are erased, and then no row of any schema (state, supervisor,
 * registry, prompts) and no Redis key or value names them or holds what they wrote; another user's data stays.
 */
class ErasureIT {

    private static final String LOCATION = "loc-erase";
    private static final String WEBHOOK_SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    private static final List<String> SCHEMAS = List.of("state", "supervisor", "registry", "prompts");

    @RegisterExtension
    static final Services services = new Services();

    private static WireMockServer openAi;
    private static WireMockServer ghl;

    @BeforeAll
    static void startSuite() {
        openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(10)
                .willReturn(okJson(FakeOpenAi.completion("Happy to help."))));
        ghl = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        ghl.start();
        ghl.stubFor(post(urlPathEqualTo("/conversations/messages"))
                .willReturn(okJson("{\"conversationId\":\"conv-1\",\"messageId\":\"out-" + UUID.randomUUID() + "\"}")));
        services.supervisors(1, i -> "e2e-erasure")
                .supervisorEnv(Map.of(
                        "RATE_LIMIT_PER_MINUTE",
                        "0",
                        "OPENAI_BASE_URL",
                        openAi.baseUrl() + "/v1/",
                        "OPENAI_API_KEY",
                        "e2e-test-key",
                        "GHL_API_BASE_URL",
                        ghl.baseUrl(),
                        "GHL_API_TOKEN",
                        "e2e-ghl-token",
                        "GHL_LOCATION_IDS",
                        LOCATION,
                        "WEBHOOK_SECRET",
                        WEBHOOK_SECRET,
                        "WEBHOOK_POLL_INTERVAL",
                        "1s"))
                .start();
    }

    @AfterAll
    static void stopSuite() {
        services.stop();
        if (openAi != null) {
            openAi.stop();
        }
        if (ghl != null) {
            ghl.stop();
        }
    }

    @Test
    void leavesNoRowAndNoKeyOfTheErasedUserOrContactInAnyService() throws Exception {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        String user = E2eAuth.USER;
        String userKey = "Bearer " + E2eAuth.USER_KEY;
        String bystander = "bystander-" + marker.substring(0, 8);
        String contact = "contact-" + marker.substring(0, 8);
        String contactSession = "ghl:" + LOCATION + ":" + contact;

        // the user has a login account and a conversation; someone else chats too
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "username", user, "password", "a long enough password " + marker, "roles", List.of("user")))
                .post(supervisor() + "/api/v1/auth/users")
                .then()
                .statusCode(201);
        String sessionId = chatAs(
                        userKey, Map.of("message", "first words " + marker, "agent", "general_assistant_agent"))
                .then()
                .statusCode(200)
                .extract()
                .path("session_id");
        chatAs("Bearer " + E2eAuth.ADMIN_KEY, Map.of("message", "hello from " + bystander, "user_id", bystander))
                .then()
                .statusCode(200);

        // the contact writes through a GHL workflow webhook; the queue runs its turn and replies
        long row = given().header("X-Webhook-Secret", WEBHOOK_SECRET)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "contact_id",
                        contact,
                        "location",
                        Map.of("id", LOCATION),
                        "message",
                        Map.of("body", "contact words " + marker, "channel", "SMS"),
                        "event_id",
                        "evt-" + marker))
                .post(supervisor() + "/webhooks/ghl-workflow")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "completed"
                        .equals(given().get(supervisor() + "/webhooks/queue/" + row)
                                .path("status")));
        given().get(supervisor() + "/sessions/" + contactSession).then().statusCode(200);

        // a turn of the user is still running (its model answers slowly) when the user erases its data
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(1)
                .withRequestBody(containing("in flight " + marker))
                .willReturn(
                        okJson(FakeOpenAi.completion("late answer " + marker)).withFixedDelay(8000)));
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> chatAs(
                userKey,
                Map.of("message", "in flight " + marker, "session_id", sessionId, "agent", "general_assistant_agent")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !openAi.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                                .withRequestBody(containing("in flight " + marker)))
                        .isEmpty());

        given().header("Authorization", userKey)
                .delete(supervisor() + "/users/" + user + "/data")
                .then()
                .statusCode(200)
                .body("subject", equalTo("user"))
                .body("counts.sessions", equalTo(1))
                .body("counts.users", equalTo(1));
        // the turn that was running when the erasure came cannot write the session back
        Response late = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(409, late.statusCode(), late.asString());
        assertEquals("https://switchboard.dev/problems/lease-lost", late.path("type"));

        given().delete(supervisor() + "/crm/ghl/locations/" + LOCATION + "/contacts/" + contact + "/data")
                .then()
                .statusCode(200)
                .body("subject", equalTo("contact"))
                .body("counts.sessions", equalTo(1))
                .body("counts.queue_rows", equalTo(1));

        for (String erased : List.of(user, contact, sessionId, marker)) {
            assertEquals(List.of(), rowsMentioning(erased), "rows naming " + erased);
            assertEquals(List.of(), redisKeysMentioning(erased), "Redis keys naming " + erased);
        }
        assertTrue(!rowsMentioning(bystander).isEmpty(), "another user's conversation stays");
        assertEquals(2, services.count("SELECT count(*) FROM supervisor.erasures"));
        given().get(supervisor() + "/sessions/" + sessionId).then().statusCode(404);

        // erasing again finds nothing
        given().header("Authorization", userKey)
                .delete(supervisor() + "/users/" + user + "/data")
                .then()
                .statusCode(200)
                .body("counts.sessions", equalTo(0))
                .body("counts.checkpoints", equalTo(0))
                .body("counts.users", equalTo(0));
    }

    /**
     * Every table of the four schemas where a row's text mentions {@code value}, as {@code schema.table (rows)}: one
     * query over all of them (the database server is shared, so the test opens few connections).
     */
    private static List<String> rowsMentioning(String value) {
        List<String> tables = services.query("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_schema IN ('" + String.join("','", SCHEMAS) + "') AND table_type = 'BASE TABLE'"
                + " ORDER BY 1");
        assertTrue(tables.size() >= SCHEMAS.size() * 2, "the four schemas' tables: " + tables);
        String union = String.join(
                " UNION ALL ",
                tables.stream()
                        .map(t -> "SELECT '" + t + " (' || count(*) || ')' AS hit FROM " + t
                                + " t WHERE strpos(t::text, ?) > 0 HAVING count(*) > 0")
                        .toList());
        return services.query(union, tables.stream().map(t -> value).toArray(String[]::new));
    }

    private static List<String> redisKeysMentioning(String value) {
        List<String> found = new ArrayList<>();
        for (String key : services.redis("KEYS", "*")) {
            String type = services.redis("TYPE", key).getFirst();
            List<String> content = switch (type) {
                case "string" -> services.redis("GET", key);
                case "hash" -> services.redis("HGETALL", key);
                case "set" -> services.redis("SMEMBERS", key);
                case "zset" -> services.redis("ZRANGE", key, "0", "-1");
                case "list" -> services.redis("LRANGE", key, "0", "-1");
                default -> List.of();
            };
            if (key.contains(value) || content.stream().anyMatch(c -> c != null && c.contains(value))) {
                found.add(key);
            }
        }
        return found;
    }

    private static Response chatAs(String authorization, Map<String, String> body) {
        return given().header("Authorization", authorization)
                .contentType(ContentType.JSON)
                .body(body)
                .post(supervisor() + "/chat");
    }

    private static String supervisor() {
        return services.supervisor(0).url();
    }

    private static ResponseDefinitionBuilder okJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
