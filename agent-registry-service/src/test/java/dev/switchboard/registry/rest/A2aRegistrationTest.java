package dev.switchboard.registry.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.registry.TestAgents;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registering A2A agents from their Agent Card, served over HTTP by WireMock. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class A2aRegistrationTest {

    private static final String PREFIX = "t-a2a";
    private static WireMockServer cards;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void startCards() {
        cards = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        cards.start();
    }

    @AfterAll
    static void stopCards() {
        cards.stop();
    }

    @AfterEach
    void deleteOwnRows() {
        TestAgents.deleteRows(pool, redis, PREFIX);
        cards.resetAll();
    }

    private static String card(String name) {
        return """
                {"name":"%s","description":"Answers weather questions for any city",
                 "url":"http://127.0.0.1:9/a2a","version":"2.1.0","protocolVersion":"0.3.0",
                 "preferredTransport":"JSONRPC","capabilities":{"streaming":false},
                 "defaultInputModes":["text"],"defaultOutputModes":["text"],
                 "skills":[{"id":"forecast","name":"Forecast","description":"Weather forecast for a city",
                            "tags":["weather","forecast"],"examples":["will it rain in Paris tomorrow?","weather in Rome"]},
                           {"id":"alerts","name":"Storm alerts","description":"Active storm warnings","tags":["weather"]}]}
                """.formatted(name);
    }

    @Test
    void registersAnA2aAgentFromItsCardWithSkillsAndExamples() {
        String cardName = TestAgents.uniqueName("T-A2A Weather");
        cards.stubFor(get(urlEqualTo("/.well-known/agent-card.json")).willReturn(okJson(card(cardName))));
        String expectedName = cardName.toLowerCase().replace(' ', '_');
        String cardUrl = cards.baseUrl() + "/.well-known/agent-card.json";

        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cardUrl))
                .post("/agents/a2a")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/agents/" + expectedName))
                .body("name", equalTo(expectedName))
                .body("kind", equalTo("a2a"))
                .body("endpoint", equalTo("http://127.0.0.1:9/a2a"))
                .body("version", equalTo("2.1.0"))
                .body("description", equalTo("Answers weather questions for any city"))
                .body("capabilities", contains("weather", "forecast", "alerts"))
                .body("examples", contains("will it rain in Paris tomorrow?", "weather in Rome"))
                .body("metadata.a2a.card_url", equalTo(cardUrl))
                .body("metadata.a2a.skills.id", contains("forecast", "alerts"));
        // registering again re-reads the card: unchanged → 200, same revision
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cardUrl))
                .post("/agents/a2a")
                .then()
                .statusCode(200)
                .body("revision", equalTo(1));
        cards.verify(2, getRequestedFor(urlEqualTo("/.well-known/agent-card.json")));
        given().get("/agents/" + expectedName).then().statusCode(200).body("kind", equalTo("a2a"));
    }

    @Test
    void explicitNameWinsAndUnreachableOrInvalidCardsAreProblems() {
        String name = TestAgents.uniqueName(PREFIX);
        cards.stubFor(get(urlEqualTo("/card.json")).willReturn(okJson(card("Whatever Name"))));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/card.json", "name", name))
                .post("/agents/a2a")
                .then()
                .statusCode(201)
                .body("name", equalTo(name));

        cards.stubFor(get(urlEqualTo("/broken.json")).willReturn(aResponse().withStatus(500)));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/broken.json"))
                .post("/agents/a2a")
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/agent-card-unreachable"));
        cards.verify(3, getRequestedFor(urlEqualTo("/broken.json"))); // 1 + 2 retries

        cards.stubFor(get(urlEqualTo("/nourl.json")).willReturn(okJson("{\"name\":\"x\",\"description\":\"y\"}")));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", cards.baseUrl() + "/nourl.json"))
                .post("/agents/a2a")
                .then()
                .statusCode(422)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-agent-card"));
        given().contentType(ContentType.JSON)
                .body(Map.of("card_url", "ftp://nope"))
                .post("/agents/a2a")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("card_url"));
    }
}
