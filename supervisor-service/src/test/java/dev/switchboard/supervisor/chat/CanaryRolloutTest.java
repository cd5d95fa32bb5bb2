package dev.switchboard.supervisor.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.rollout.VersionAssignments;
import dev.switchboard.supervisor.routing.RoutingDecision;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Canary rollout through the turn pipeline's agent steps (choose version, render prompt, execute, report version),
 * against real Redis
 * and a remote agent whose stable and canary endpoints are WireMock stubs: 1,000 sessions through a 10 % canary
 * (split within ±4 standard deviations: 62..138 canary sessions), stickiness across turns and weight changes, and an
 * injected 20 % canary error rate that rolls the canary back (the error-rate trigger is 5 %).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class CanaryRolloutTest {

    private static final int SESSIONS = 1000;

    @InjectPeers
    WireMockServer peers;

    @dev.switchboard.supervisor.testing.InjectWireMock
    WireMockServer openAi;

    @Inject
    ChooseVersionStep chooseVersion;

    @Inject
    RenderPromptStep renderPrompt;

    @Inject
    ExecuteStep execute;

    @Inject
    ReportVersionStep reportVersion;

    @Inject
    RedisDataSource redis;

    private static AgentDescriptor agent(String name, String base, int canaryWeight) {
        return new AgentDescriptor(
                name,
                "Invoices",
                List.of("billing"),
                "1.0.0",
                "active",
                "remote",
                null,
                null,
                List.of(),
                base + "/stable",
                List.of("where is my invoice"),
                Map.of(),
                false,
                List.of(new AgentDescriptor.Version("1.1.0", canaryWeight, base + "/canary", null, null)));
    }

    /** A routed turn of {@code agent} through the agent steps of the pipeline. */
    private Turn run(AgentDescriptor agent, String session, String message) {
        Turn routed = Turn.routed(
                new ChatRequest(message, session, "u-" + session, null, null),
                session,
                new RoutingDecision(agent, RoutingDecision.EXPLICIT, 1.0, List.of()));
        return chooseVersion
                .apply(routed)
                .chain(renderPrompt::apply)
                .chain(execute::apply)
                .chain(reportVersion::apply)
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    private String turn(AgentDescriptor agent, String session, String message) {
        Turn turn = run(agent, session, message);
        if (turn.failed()) {
            return "error";
        }
        String reply = turn.reply().text();
        // the version the turn records is the one that answered
        assertEquals("canary".equals(reply) ? "1.1.0" : "1.0.0", turn.agent().version(), session);
        assertEquals("canary".equals(reply), turn.canary(), session);
        return reply;
    }

    @Test
    void tenPercentCanarySplitsStaysStickyAndRollsBackOnTwentyPercentErrors() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "invoice_agent_" + id;
        String base = peers.baseUrl() + "/rollout/" + id;
        peers.stubFor(post(urlEqualTo("/rollout/" + id + "/stable")).willReturn(okJson("{\"reply\":\"stable\"}")));
        peers.stubFor(post(urlEqualTo("/rollout/" + id + "/canary")).willReturn(okJson("{\"reply\":\"canary\"}")));
        peers.stubFor(post(urlEqualTo("/rollout/" + id + "/canary"))
                .atPriority(1)
                .withRequestBody(containing("FAIL"))
                .willReturn(aResponse().withStatus(500)));
        peers.stubFor(
                post(urlEqualTo("/agents/" + name + "/rollback")).willReturn(okJson("{\"name\":\"" + name + "\"}")));

        // 1. split: 1,000 new sessions through a 10 % canary
        AgentDescriptor tenPercent = agent(name, base, 10);
        Map<String, String> firstVersion = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            String session = "s-" + id + "-" + i;
            firstVersion.put(session, turn(tenPercent, session, "turn one"));
        }
        long canary = firstVersion.values().stream().filter("canary"::equals).count();
        long stable = firstVersion.values().stream().filter("stable"::equals).count();
        assertEquals(SESSIONS, canary + stable, "every turn answered");
        assertTrue(canary >= 62 && canary <= 138, "10 % ± 3.8 points of 1,000 sessions, got " + canary);
        org.jboss.logging.Logger.getLogger(CanaryRolloutTest.class)
                .infof("Canary split: %d of %d sessions on 1.1.0", canary, SESSIONS);
        String someSession = "s-" + id + "-0";
        String stored = redis.value(String.class).get(VersionAssignments.key(someSession, name));
        assertEquals(firstVersion.get(someSession).equals("canary") ? "1.1.0" : "1.0.0", stored);
        assertTrue(
                redis.key().ttl(VersionAssignments.key(someSession, name)) > 3000,
                "assignment lives as long as the session");

        // 2. sticky: later turns, even after the canary grows to 25 %, stay on the first version
        AgentDescriptor quarter = agent(name, base, 25);
        for (int i = 0; i < 300; i++) {
            String session = "s-" + id + "-" + i;
            assertEquals(firstVersion.get(session), turn(quarter, session, "turn two"), "session " + session);
        }

        // 3. 20 % of the canary's turns fail: the canary is rolled back, once
        // The window still holds phases 1 and 2's ~125 successful canary turns, so the window's error rate climbs
        // towards 20 % only as phase 3's turns add up: go on (up to 3,000 sessions, ~300 canary turns) until the
        // trigger fires, instead of hoping 1,000 sessions' ~20 canary failures already clear 5 % of the window.
        int failedCanary = 0;
        for (int i = 0; i < 3 * SESSIONS; i++) {
            String session = "s-" + id + "-err-" + i;
            String answer = turn(tenPercent, session, i % 5 == 0 ? "please FAIL" : "fine");
            failedCanary += "error".equals(answer) ? 1 : 0;
            if (!peers.findAll(postRequestedFor(urlEqualTo("/agents/" + name + "/rollback")))
                    .isEmpty()) {
                break;
            }
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !peers.findAll(postRequestedFor(urlEqualTo("/agents/" + name + "/rollback")))
                        .isEmpty());
        assertTrue(failedCanary > 0);
        org.jboss.logging.Logger.getLogger(CanaryRolloutTest.class)
                .infof("Rolled back after %d failed canary turns", failedCanary);
        peers.verify(
                1,
                postRequestedFor(urlEqualTo("/agents/" + name + "/rollback"))
                        .withRequestBody(matchingJsonPath(
                                "$.version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1.1.0")))
                        .withRequestBody(matchingJsonPath("$.reason", containing("error_rate"))));

        // 4. after the rollback this replica sends nobody to the canary: new sessions and former canary sessions
        for (int i = 0; i < 200; i++) {
            assertEquals("stable", turn(tenPercent, "s-" + id + "-after-" + i, "fine"));
        }
        String formerCanary = firstVersion.entrySet().stream()
                .filter(e -> e.getValue().equals("canary"))
                .findFirst()
                .orElseThrow()
                .getKey();
        assertEquals("stable", turn(tenPercent, formerCanary, "turn three"));
        peers.verify(1, postRequestedFor(urlEqualTo("/agents/" + name + "/rollback")));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("switchboard_rollout_rollbacks_total{agent=\"" + name
                        + "\",trigger=\"error_rate\",version=\"1.1.0\"} 1.0"));
    }

    @Test
    void anLlmCanaryRunsWithItsOwnSystemPrompt() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String promptId = "t-canary-prompt-" + id;
        peers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/prompts/" + promptId))
                .atPriority(1)
                .willReturn(okJson(PeersWireMockResource.prompt(
                        promptId, "agent", "You are the CANARY {{agent_name}} for session {{session_id}}"))));
        openAi.stubFor(post(urlEqualTo(OpenAiWireMockResource.CHAT_COMPLETIONS))
                .withRequestBody(containing(id))
                .willReturn(okJson(OpenAiWireMockResource.textCompletion("canary answer"))));
        AgentDescriptor agent = new AgentDescriptor(
                "helper_" + id,
                "Helps",
                List.of(),
                "1.0.0",
                "active",
                "llm",
                "general-assistant-system",
                null,
                List.of(),
                null,
                List.of("hi"),
                Map.of(),
                false,
                List.of(new AgentDescriptor.Version("2.0.0", 100, null, promptId, null)));
        String session = "s-llm-" + id;
        Turn turn = run(agent, session, "hello " + id);
        assertEquals("canary answer", turn.reply().text());
        // what the turn's checkpoint metadata records: the canary version and its own prompt
        assertEquals("2.0.0", turn.agent().version());
        assertTrue(turn.canary());
        assertEquals(promptId, turn.prompt().promptId());
        assertEquals(1, turn.prompt().version());
        String body = openAi.findAll(postRequestedFor(urlEqualTo(OpenAiWireMockResource.CHAT_COMPLETIONS))
                        .withRequestBody(containing(id)))
                .get(0)
                .getBodyAsString();
        assertTrue(body.contains("You are the CANARY helper_" + id + " for session " + session), body);
    }
}
