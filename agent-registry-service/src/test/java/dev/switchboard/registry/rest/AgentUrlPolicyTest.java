package dev.switchboard.registry.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.common.net.OutboundAddressPolicy;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent and card URLs cannot point the registry (or, through it, the supervisors) at what they should not reach:
 * link-local/metadata addresses never, loopback and private ones only when {@code AGENT_URL_ALLOW} lists them (the
 * test configuration allows loopback only), card redirects are not followed, and a card cannot take over an agent of
 * another kind by its name.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class AgentUrlPolicyTest {

    private static final String PREFIX = "t-urlpolicy";
    private static WireMockServer cards;
    private static WireMockServer elsewhere;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void startServers() {
        cards = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        cards.start();
        elsewhere =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
    }

    @AfterAll
    static void stopServers() {
        cards.stop();
        elsewhere.stop();
    }

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
        cards.resetAll();
        elsewhere.resetAll();
    }

    private static Map<String, Object> remoteAgent(String name, String endpoint) {
        Map<String, Object> body = new HashMap<>(TestAgents.llmAgent(name, "A remote agent"));
        body.put("kind", "remote");
        body.put("endpoint", endpoint);
        return body;
    }

    private static String card(String name, String url) {
        return """
                {"name":"%s","description":"Answers weather questions","url":"%s","version":"1.0.0",
                 "skills":[{"id":"forecast","name":"Forecast","tags":["weather"]}]}""".formatted(name, url);
    }

    @Test
    void metadataAndLinkLocalEndpointsAreRefusedNamingTheField() {
        String name = TestAgents.uniqueName(PREFIX);
        for (String endpoint : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://[fe80::1]:8080/",
                "http://[fd00:ec2::254]/",
                "http://0.0.0.0:9/")) {
            given().contentType(ContentType.JSON)
                    .body(remoteAgent(name, endpoint))
                    .post("/agents")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                    .body("errors.field", hasItem("endpoint"))
                    .body("errors.message", hasItem(containsString("never allowed")));
        }
        given().get("/agents/" + name).then().statusCode(404);

        given().contentType(ContentType.JSON)
                .body(remoteAgent(name, "http://127.0.0.1:9/agent"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(remoteAgent(name, "http://169.254.169.254/"))
                .put("/agents/" + name)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"));
        given().contentType(ContentType.JSON)
                .body(Map.of("version", "2.0.0", "endpoint", "http://169.254.169.254/"))
                .post("/agents/" + name + "/versions")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"));
    }

    @Test
    void privateEndpointsOnlyWhenAllowed() {
        String name = TestAgents.uniqueName(PREFIX);
        // the test configuration allows loopback, not 10.0.0.0/8
        given().contentType(ContentType.JSON)
                .body(remoteAgent(name, "http://10.0.0.5:8080/agent"))
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"))
                .body("errors.message", hasItem(containsString("AGENT_URL_ALLOW")));
        given().contentType(ContentType.JSON)
                .body(remoteAgent(name, "http://127.0.0.1:9/agent"))
                .post("/agents")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(remoteAgent(TestAgents.uniqueName(PREFIX), "https://agent.example.com/chat"))
                .post("/agents")
                .then()
                .statusCode(201);
    }

    @Test
    void loopbackIsRefusedWithoutAnAllowList() {
        QuarkusMock.installMockForType(new OutboundAddressPolicy(List.of()), OutboundAddressPolicy.class);
        given().contentType(ContentType.JSON)
                .body(remoteAgent(TestAgents.uniqueName(PREFIX), "http://127.0.0.1:9/agent"))
                .post("/agents")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"));
    }

    @Test
    void cardUrlsAndCardEndpointsAreCheckedToo() {
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", "http://169.254.169.254/.well-known/agent-card.json"))
                .post("/agents/a2a")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("card_url"));

        String name = TestAgents.uniqueName(PREFIX);
        cards.stubFor(get(urlEqualTo("/meta.json")).willReturn(okJson(card(name, "http://169.254.169.254/a2a"))));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/meta.json", "name", name))
                .post("/agents/a2a")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("endpoint"));
        given().get("/agents/" + name).then().statusCode(404);
    }

    @Test
    void aCardHostResolvingToARefusedAddressIsNotFetched() {
        // a name whose records include a metadata address besides the card server's
        QuarkusMock.installMockForType(
                new OutboundAddressPolicy(
                        List.of("127.0.0.0/8"),
                        host -> host.equals("cards.test")
                                ? new InetAddress[] {
                                    InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254")
                                }
                                : InetAddress.getAllByName(host)),
                OutboundAddressPolicy.class);
        cards.stubFor(get(anyUrl()).willReturn(okJson(card("x", "http://127.0.0.1:9/a2a"))));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", "http://cards.test:" + cards.port() + "/card.json"))
                .post("/agents/a2a")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("card_url"));
        cards.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aCardRedirectIsNotFollowed() {
        String name = TestAgents.uniqueName(PREFIX);
        elsewhere.stubFor(get(anyUrl()).willReturn(okJson(card(name, "http://127.0.0.1:9/a2a"))));
        cards.stubFor(get(urlEqualTo("/moved.json"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", elsewhere.baseUrl() + "/card.json")));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/moved.json", "name", name))
                .post("/agents/a2a")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/invalid-agent-card"))
                .body("detail", containsString("redirect"));
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
        cards.verify(1, getRequestedFor(urlEqualTo("/moved.json"))); // a redirect is an answer: not retried
        given().get("/agents/" + name).then().statusCode(404);
    }

    @Test
    void aCardCannotTakeOverAnAgentOfAnotherKind() {
        String name = TestAgents.uniqueName(PREFIX);
        given().contentType(ContentType.JSON)
                .body(TestAgents.llmAgent(name, "An llm agent"))
                .post("/agents")
                .then()
                .statusCode(201);
        cards.stubFor(get(urlEqualTo("/card.json")).willReturn(okJson(card(name, "http://127.0.0.1:9/a2a"))));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/card.json"))
                .post("/agents/a2a")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/agent-kind-conflict"));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/card.json", "name", name))
                .post("/agents/a2a")
                .then()
                .statusCode(409);
        given().get("/agents/" + name).then().statusCode(200).body("kind", equalTo("llm"));
    }
}
