package dev.switchboard.supervisor.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * Fakes the supervisor's three peers (agent-registry-service, state-service, prompt-service) with one WireMock
 * server serving contract-shaped JSON (see CONTRACTS.md), and points the three REST clients at it.
 *
 * <p>Default stubs ({@link #stubDefaults}): four active agents with realistic router examples plus one inactive
 * agent; {@code POST /sessions} echoes the requested id (version 1); {@code POST /sessions/{id}/turns} answers
 * 201 with a new checkpoint id; unknown sessions, agents and prompts answer 404 problems; the five seeded
 * prompts exist; {@code /q/health/live} is UP; {@code /supervisors} accepts registrations, heartbeats and deletions
 * and lists {@link #SUPERVISOR_LIST}. Tests that change stubs restore them with
 * {@code server.resetAll(); PeersWireMockResource.stubDefaults(server)}.
 */
public class PeersWireMockResource implements QuarkusTestResourceLifecycleManager {

    /** The agent every default stub marks {@code is_default}. */
    public static final String DEFAULT_AGENT = "general_assistant_agent";
    /** An agent that exists but is inactive. */
    public static final String INACTIVE_AGENT = "legacy_faq_agent";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    /** Registry {@code GET /supervisors} default: one replica {@code up} with 3 active sessions, one {@code stale} with 7. */
    public static final String SUPERVISOR_LIST = "{\"supervisors\":["
            + "{\"id\":\"sup-a\",\"host\":\"host-a\",\"port\":8000,\"version\":\"0.1.0\",\"capacity\":50,"
            + "\"active_sessions\":3,\"status\":\"up\",\"started_at\":\"2026-11-21T11:00:00Z\","
            + "\"last_heartbeat\":\"2026-11-21T12:00:00Z\"},"
            + "{\"id\":\"sup-b\",\"host\":\"host-b\",\"port\":8100,\"version\":\"0.1.0\",\"capacity\":50,"
            + "\"active_sessions\":7,\"status\":\"stale\",\"started_at\":\"2026-11-21T11:00:00Z\","
            + "\"last_heartbeat\":\"2026-11-21T11:58:00Z\"}],\"count\":2}";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        stubDefaults(server);
        String url = server.baseUrl();
        return Map.of(
                "quarkus.rest-client.agent-registry.url", url,
                "quarkus.rest-client.state-service.url", url,
                "quarkus.rest-client.prompt-service.url", url);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                server, new TestInjector.AnnotatedAndMatchesType(InjectPeers.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Installs every default stub (see the class comment). */
    public static void stubDefaults(WireMockServer server) {
        server.stubFor(get(urlEqualTo("/q/health/live")).willReturn(okJson("{\"status\":\"UP\",\"checks\":[]}")));

        // agent-registry-service
        server.stubFor(get(urlPathEqualTo("/agents")).willReturn(okJson(agentList(defaultAgents()))));
        server.stubFor(get(urlPathMatching("/agents/[^/]+"))
                .atPriority(10)
                .willReturn(problem(404, "agent-not-found", "Agent not found", "Agent not registered")));
        for (ObjectNode agent : defaultAgents()) {
            server.stubFor(
                    get(urlPathEqualTo("/agents/" + agent.get("name").asText())).willReturn(okJson(agent.toString())));
        }
        server.stubFor(post(urlPathMatching("/agents/[^/]+/status"))
                .atPriority(10)
                .willReturn(problem(404, "agent-not-found", "Agent not found", "Agent not registered")));

        // agent-registry-service: supervisor instances (this replica's registration and heartbeats; the cluster list)
        server.stubFor(post(urlPathEqualTo("/supervisors"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"id\":\"{{jsonPath request.body '$.id'}}\",\"host\":\"{{jsonPath request.body '$.host'}}\","
                                        + "\"port\":{{jsonPath request.body '$.port'}},\"capacity\":{{jsonPath request.body '$.capacity'}},"
                                        + "\"active_sessions\":0,\"status\":\"up\",\"last_heartbeat\":\"2026-11-21T12:00:00Z\"}")
                        .withTransformers("response-template")));
        server.stubFor(post(urlPathMatching("/supervisors/[^/]+/heartbeat"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"{{request.pathSegments.[1]}}\",\"status\":\"up\"}")
                        .withTransformers("response-template")));
        server.stubFor(delete(urlPathMatching("/supervisors/[^/]+"))
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(get(urlPathEqualTo("/supervisors")).willReturn(okJson(SUPERVISOR_LIST)));

        // state-service
        server.stubFor(post(urlPathEqualTo("/sessions"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"session_id\":\"{{jsonPath request.body '$.session_id'}}\",\"version\":1,"
                                        + "\"messages\":[],\"turns\":[],\"state\":{},\"metadata\":{},"
                                        + "\"created_at\":\"2026-11-21T12:00:00Z\",\"updated_at\":\"2026-11-21T12:00:00Z\",\"recovered\":false}")
                        .withTransformers("response-template")));
        server.stubFor(get(urlPathMatching("/sessions/[^/]+"))
                .atPriority(10)
                .willReturn(problem(404, "session-not-found", "Session not found", "Session not found")));
        server.stubFor(get(urlPathMatching("/sessions/user/[^/]+"))
                .atPriority(5)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"user_id\":\"{{request.pathSegments.[2]}}\",\"sessions\":[]}")
                        .withTransformers("response-template")));
        server.stubFor(post(urlPathMatching("/sessions/[^/]+/turns"))
                .atPriority(10)
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"{{request.pathSegments.[1]}}\",\"version\":2,"
                                + "\"messages\":[],\"turns\":[]},\"checkpoint_id\":\"c-{{randomValue type='UUID'}}\"}")
                        .withTransformers("response-template")));

        // prompt-service
        server.stubFor(get(urlPathMatching("/prompts/[^/]+"))
                .atPriority(10)
                .willReturn(problem(404, "prompt-not-found", "Prompt not found", "Prompt not found")));
        for (String id : List.of(
                "calendar-checker-system",
                "appointment-booking-system",
                "lead-qualification-system",
                "general-assistant-system")) {
            server.stubFor(get(urlPathEqualTo("/prompts/" + id))
                    .willReturn(okJson(prompt(
                            id,
                            "agent",
                            "You are {{agent_name}} of {{business_name}}. Today is {{current_date}} ({{timezone}}). "
                                    + "User {{user_id}}, session {{session_id}}."))));
        }
        server.stubFor(
                get(urlPathEqualTo("/prompts/router-intent-classification"))
                        .willReturn(
                                okJson(
                                        prompt(
                                                "router-intent-classification",
                                                "router",
                                                "Pick one agent for the message.\nAgents:\n{{agents}}\nMessage: {{message}}\nAnswer with the name only."))));
    }

    /** @return the default agents: four active (general_assistant_agent is default) and one inactive */
    public static List<ObjectNode> defaultAgents() {
        return List.of(
                agent(
                        "appointment_booking_agent",
                        "Books, moves and cancels appointments",
                        "appointment-booking-system",
                        "active",
                        false,
                        List.of("calendar", "booking"),
                        List.of(
                                "book me in for a haircut on friday at 3",
                                        "I need to reschedule my appointment to next week",
                                "cancel my booking for tomorrow", "can you move my 2pm to 4pm",
                                "please make an appointment with dr patel on monday", "book a table for two tonight",
                                "I'd like to schedule a consultation next tuesday", "put me down for the 10am slot")),
                agent(
                        "calendar_checker_agent",
                        "Looks up the calendar without booking: availability, open slots, "
                                + "opening hours and when existing appointments or meetings are",
                        "calendar-checker-system",
                        "active",
                        false,
                        List.of("calendar", "availability_check"),
                        List.of(
                                "whats on my schedule for wednesday", "do u have any openings next tues morning",
                                "hey what does my day look like tmrw", "can u tell me when my next appointment is",
                                "is 3:30 still free on thursday or is it taken", "show me my week",
                                "how many appointments do i have tomorrow", "what's free between 1 and 4 today",
                                "list my appointments for this month pls",
                                        "do I have anything scheduled for the 3rd of june?")),
                agent(
                        "general_assistant_agent",
                        "Greetings, small talk and anything else no other agent covers",
                        "general-assistant-system",
                        "active",
                        true,
                        List.of("general", "small_talk"),
                        List.of(
                                "hi there",
                                "hellooo",
                                "good morning to you",
                                "thanks a lot!",
                                "who are you?",
                                "tell me a joke",
                                "how are you doing today",
                                "what can you help me with")),
                agent(
                        "lead_qualification_agent",
                        "Qualifies a lead: need, budget, timeline and decision maker",
                        "lead-qualification-system",
                        "active",
                        false,
                        List.of("lead_qualification", "sales"),
                        List.of(
                                "we're looking for a new CRM for our 50 person team",
                                        "our budget is around 20k this year",
                                "I'm interested in your enterprise plan, what does it cost",
                                        "we need this rolled out by Q3",
                                "I'm the one who signs off on purchases here",
                                        "can someone from sales call me about pricing")),
                agent(
                        INACTIVE_AGENT,
                        "Answers frequently asked questions (retired)",
                        null,
                        "inactive",
                        false,
                        List.of("faq"),
                        List.of("what is your refund policy")));
    }

    /** @return a contract-shaped registry agent object */
    public static ObjectNode agent(
            String name,
            String description,
            String promptId,
            String status,
            boolean isDefault,
            List<String> capabilities,
            List<String> examples) {
        ObjectNode agent = JSON.createObjectNode()
                .put("name", name)
                .put("description", description)
                .put("version", "1.0.0")
                .put("status", status)
                .put("kind", "llm");
        if (promptId == null) {
            agent.putNull("prompt_id");
        } else {
            agent.put("prompt_id", promptId);
        }
        capabilities.forEach(agent.putArray("capabilities")::add);
        agent.putObject("model").putNull("name").put("temperature", 0.2).putNull("max_tokens");
        ArrayNode tools = agent.putArray("tools");
        if ("appointment_booking_agent".equals(name)) {
            tools.add("check_availability").add("book_appointment"); // the calendar tools, as agents/*.yaml list them
        }
        agent.putNull("endpoint");
        examples.forEach(agent.putArray("examples")::add);
        agent.putObject("metadata");
        agent.put("is_default", isDefault)
                .put("revision", 1)
                .put("created_at", "2026-11-21T12:00:00Z")
                .put("updated_at", "2026-11-21T12:00:00Z")
                .putNull("last_heartbeat");
        return agent;
    }

    /**
     * Registers (in the fake registry) an active {@code remote} agent whose endpoint is {@code /remote/<name>} on
     * {@code server}; stub that path to play the agent.
     *
     * @return the agent's endpoint path, {@code /remote/<name>}
     */
    public static String stubRemoteAgent(WireMockServer server, String name) {
        ObjectNode agent =
                agent(name, "A remote test agent", null, "active", false, List.of("remote"), List.of("remote example"));
        agent.put("kind", "remote").put("endpoint", server.baseUrl() + "/remote/" + name);
        server.stubFor(
                WireMock.get(WireMock.urlPathEqualTo("/agents/" + name)).willReturn(WireMock.okJson(agent.toString())));
        return "/remote/" + name;
    }

    /** @return registry {@code GET /agents} body */
    public static String agentList(List<ObjectNode> agents) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("agents");
        agents.stream()
                .sorted((a, b) -> a.get("name").asText().compareTo(b.get("name").asText()))
                .forEach(array::add);
        root.put("count", agents.size());
        return root.toString();
    }

    /** @return prompt-service {@code GET /prompts/{id}} body */
    public static String prompt(String id, String type, String content) {
        ObjectNode prompt = JSON.createObjectNode()
                .put("id", id)
                .put("name", id)
                .put("type", type)
                .put("version", 1)
                .put("label", "production")
                .put("content", content)
                .put("is_active", true);
        prompt.putArray("variables");
        prompt.putObject("model_config");
        return prompt.toString();
    }

    /** @return a problem+json response */
    public static ResponseDefinitionBuilder problem(int status, String slug, String title, String detail) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", PROBLEM)
                .withBody(JSON.createObjectNode()
                        .put("type", "https://switchboard.dev/problems/" + slug)
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .toString());
    }
}
