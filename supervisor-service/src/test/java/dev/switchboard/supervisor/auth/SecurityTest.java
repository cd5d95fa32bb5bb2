package dev.switchboard.supervisor.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.EndpointSecurity;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication on the supervisor: every endpoint's credentials and roles, session ownership (a user reads only its own
 * sessions, an admin any), chat acting only as the caller, and the service token on calls to the peers.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class SecurityTest {

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @BeforeEach
    void anonymousAndSynced() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        DefaultCredentialsCallback.anonymous();
    }

    @Test
    void everyEndpointRefusesMissingWrongRoleAndExpiredCredentials() {
        List<EndpointSecurity.Endpoint> endpoints = EndpointSecurity.assertSecured("dev.switchboard.supervisor", 19);
        Map<String, Set<String>> roles = endpoints.stream()
                .collect(Collectors.toMap(EndpointSecurity.Endpoint::toString, EndpointSecurity.Endpoint::roles));
        assertEquals(Set.of("user", "admin"), roles.get("POST /chat (ChatResource.chat)"));
        assertEquals(Set.of("admin"), roles.get("POST /agents/1/status (AgentResource.changeStatus)"));
        assertEquals(
                Set.of("admin"),
                roles.get("GET /api/v1/system/circuit-breakers (CircuitBreakerResource.circuitBreakers)"));
        assertEquals(Set.of("admin"), roles.get("POST /webhooks/queue/1/replay (WebhookResource.replayRow)"));
        assertEquals(Set.of("admin"), roles.get("POST /api/v1/auth/users (AuthResource.createUser)"));
        List<String> open = endpoints.stream()
                .filter(EndpointSecurity.Endpoint::permitAll)
                .map(EndpointSecurity.Endpoint::path)
                .sorted()
                .toList();
        assertEquals(
                List.of(
                        "/.well-known/agent-card.json",
                        "/api/v1/auth/login",
                        "/api/v1/auth/refresh",
                        "/health",
                        "/webhooks/1"),
                open);
    }

    /** state-service (faked) holds {@code session}, owned by {@link TestCredentials#USER}. */
    private void stubSessionOfTestUser(String session) {
        peers.stubFor(get(urlPathEqualTo("/sessions/" + session))
                .willReturn(okJson("{\"session_id\":\"" + session
                        + "\",\"user_id\":\"" + TestCredentials.USER + "\",\"version\":1,\"messages\":[],\"turns\":[],"
                        + "\"state\":{},\"metadata\":{}}")));
    }

    @Test
    void aUserReadsOnlyItsOwnSessionsAndAnAdminReadsAny() {
        String session = "s-" + UUID.randomUUID();
        stubSessionOfTestUser(session);

        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .get("/sessions/" + session)
                .then()
                .statusCode(200);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.OTHER_USER_KEY))
                .get("/sessions/" + session)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", containsString("/forbidden"));
        String userJwt = TestCredentials.accessToken(TestCredentials.USER, Set.of("user"), Duration.ofMinutes(5));
        given().header("Authorization", TestCredentials.bearer(userJwt))
                .get("/sessions/" + session)
                .then()
                .statusCode(200);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                .get("/sessions/" + session)
                .then()
                .statusCode(200);

        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .get("/sessions/user/" + TestCredentials.OTHER_USER)
                .then()
                .statusCode(403);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .get("/sessions/user/" + TestCredentials.USER)
                .then()
                .statusCode(200);
    }

    @Test
    void peersAreCalledWithTheServiceTokenNeverWithTheCallersCredentials() {
        String session = "s-" + UUID.randomUUID();
        stubSessionOfTestUser(session);
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .get("/sessions/" + session)
                .then()
                .statusCode(200);
        peers.verify(getRequestedFor(urlPathEqualTo("/sessions/" + session))
                .withHeader("Authorization", equalTo("Bearer " + TestCredentials.SERVICE_TOKEN)));
    }

    @Test
    void aUserChatsOnlyAsItself() {
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType("application/json")
                .body("{\"message\":\"hello\",\"user_id\":\"" + TestCredentials.OTHER_USER + "\"}")
                .post("/chat")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString(TestCredentials.USER));
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType("application/json")
                .body(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                                + "\"parts\":[{\"kind\":\"text\",\"text\":\"hello\"}],\"messageId\":\"m1\","
                                + "\"metadata\":{\"user_id\":\"" + TestCredentials.OTHER_USER + "\"}}}}")
                .post("/a2a")
                .then()
                .statusCode(200)
                .body("error.code", org.hamcrest.Matchers.equalTo(-32602));
    }

    @Test
    void theAgentCardAdvertisesBearerAuthentication() {
        given().get("/.well-known/agent-card.json")
                .then()
                .statusCode(200)
                .body("securitySchemes.bearer.scheme", org.hamcrest.Matchers.equalTo("bearer"))
                .body("security[0].bearer", org.hamcrest.Matchers.empty());
    }
}
