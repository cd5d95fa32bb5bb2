package dev.switchboard.supervisor.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Logins cannot be used to deny service: a flood of failed logins from one address is answered 401/429 (every one
 * of them, none hangs), is checked against at most the per-address limit of passwords (the limit is checked and
 * counted atomically), leaves chat turns working and the real user, from another address, logging in at once; a
 * flood from many addresses is bounded by the password-hashing pool (503 with Retry-After beyond its queue).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class LoginFloodTest {

    private static final String PASSWORD = "correct horse battery staple";
    /** Bounds every request of the test: a request unanswered by then counts as hung. */
    private static final Duration NO_HANG = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URL base;

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    RedisDataSource redis;

    @Inject
    LoginThrottle throttle;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void clean() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        FailedLogins.clear(redis, throttle);
    }

    private String newAdmin() {
        String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"admin\"]}")
                .post("/api/v1/auth/users")
                .then()
                .statusCode(201);
        return username;
    }

    private CompletableFuture<HttpResponse<String>> login(String username, String password, String address) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/auth/login"))
                .timeout(NO_HANG)
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> chat(String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "chat"))
                .timeout(NO_HANG)
                .header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Flood test turn " + id
                        + "\",\"session_id\":\"s-" + id + "\",\"user_id\":\"u-" + id
                        + "\",\"agent\":\"general_assistant_agent\"}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFloodFromOneAddressLeavesChatAndTheRealAdminAtAnotherAddressWorking() throws Exception {
        String admin = newAdmin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        openAi.stubFor(post(urlEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing("Flood test turn"))
                .willReturn(okJson(textCompletion("Still here."))));

        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        // when each of the flood's password checks was answered (401)
        List<Long> checkedAt = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 500; i++) {
            // half against the administrator, half spread over user names (the per-address limit)
            String username = i % 2 == 0 ? admin : "nobody-" + run + "-" + i;
            flood.add(login(username, "wrong-password-" + i, "203.0.113.7").whenComplete((r, e) -> {
                if (r != null && r.statusCode() == 401) {
                    checkedAt.add(System.nanoTime());
                }
            }));
        }
        List<CompletableFuture<HttpResponse<String>>> turns = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            turns.add(chat(run + "-" + i));
        }
        // the real administrator, from its own address, while the flood runs
        HttpResponse<String> real = login(admin, PASSWORD, "198.51.100.20").get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
        long realAt = System.nanoTime();
        assertEquals(200, real.statusCode(), real.body());
        assertTrue(real.body().contains("access_token"));

        CompletableFuture.allOf(turns.toArray(CompletableFuture[]::new)).get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> turn : turns) {
            assertEquals(200, turn.get().statusCode(), turn.get().body());
        }
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
        Map<Integer, Long> statuses = flood.stream()
                .map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertTrue(Set.of(401, 429, 503).containsAll(statuses.keySet()), "flood answered " + statuses);
        // checked and counted atomically: no more passwords were checked than the address may fail
        assertTrue(statuses.getOrDefault(401, 0L) <= 20, "passwords checked for the flood: " + statuses);
        // the flood's address checks one password at a time (LOGIN_HASH_PER_ADDRESS), so the administrator's check
        // had a thread of its own and did not queue behind the flood's
        long checkedFirst;
        synchronized (checkedAt) {
            checkedFirst = checkedAt.stream().filter(t -> t < realAt).count();
        }
        assertTrue(
                checkedFirst <= 4,
                checkedFirst + " of the flood's password checks were answered before the" + " administrator's login: "
                        + statuses);
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            HttpResponse<String> r = response.join();
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            if (r.statusCode() != 401) {
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.body());
            }
        }

        // the flood's address is locked for the administrator; the administrator elsewhere is not
        assertEquals(429, login(admin, PASSWORD, "203.0.113.7").get().statusCode());
        assertEquals(200, login(admin, PASSWORD, "198.51.100.21").get().statusCode());
    }

    @Test
    void aFloodFromManyAddressesIsBoundedByTheHashingPool() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flood.add(login("nobody-" + run + "-" + i, "wrong-password", "10.77." + (i / 250) + "." + (i % 250)));
        }
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
        Map<Integer, Long> statuses = flood.stream()
                .map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertTrue(Set.of(401, 503).containsAll(statuses.keySet()), "flood answered " + statuses);
        assertFalse(statuses.getOrDefault(503, 0L) == 0, "the hashing queue never filled: " + statuses);
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            HttpResponse<String> r = response.join();
            if (r.statusCode() == 503) {
                assertNotNull(r.headers().firstValue("Retry-After").orElse(null));
                assertTrue(r.body().contains("/overloaded"), r.body());
            }
        }
        // the pool drains: a real login goes through again
        String admin = newAdmin();
        assertEquals(200, login(admin, PASSWORD, "198.51.100.22").get().statusCode());
    }
}
