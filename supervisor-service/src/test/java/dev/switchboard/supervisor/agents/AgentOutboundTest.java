package dev.switchboard.supervisor.agents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.common.net.OutboundAddressPolicy;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls to {@code remote} and {@code a2a} agents cannot hang, be redirected or reach refused addresses: an agent that
 * never answers fails each call at the attempt timeout without keeping a thread; a 3xx answer is an agent failure and
 * its target gets nothing; a host name is resolved and checked (every address) before connecting, and the connection
 * goes to the checked address.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class AgentOutboundTest {

    private static final int CALLS = 50;

    @InjectPeers
    WireMockServer peers;

    @Inject
    AgentCache cache;

    @Inject
    RemoteAgentExecutor remote;

    @Inject
    A2aAgentExecutor a2a;

    @Inject
    AgentGuards guards;

    private WireMockServer elsewhere;

    @BeforeEach
    void setUp() {
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
        elsewhere =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
        elsewhere.stubFor(post(anyUrl()).willReturn(okJson("{\"reply\":\"redirected\"}")));
    }

    @AfterEach
    void tearDown() {
        elsewhere.stop();
    }

    /** A server that accepts connections and never answers. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress("127.0.0.1", 0), CALLS * 2);
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/agent";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** Threads whose stack is inside an outbound agent call (the A2A SDK's client or ours). */
    private static long threadsInAgentCalls() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return Arrays.stream(threads)
                .filter(t -> Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().startsWith("io.a2a.client")
                                || f.getClassName().startsWith("jdk.internal.net.http")
                                || f.getClassName().startsWith("dev.switchboard.supervisor.agents.A2aAgentClient")
                                || f.getClassName().startsWith("dev.switchboard.supervisor.agents.RemoteAgentClient")
                                || f.getClassName().startsWith("dev.switchboard.supervisor.agents.AgentHttpClient")))
                .count();
    }

    private void silentAgentFailsEveryCallAndKeepsNoThread(String kind, AgentExecutor executor) throws Exception {
        long baseline = threadsInAgentCalls();
        try (SilentServer server = new SilentServer()) {
            AgentDescriptor agent = new AgentDescriptor(
                    "silent_" + kind,
                    "Never answers",
                    List.of(),
                    UUID.randomUUID().toString(), // a version of its own: a fresh, closed breaker
                    "active",
                    kind,
                    null,
                    null,
                    List.of(),
                    server.url(),
                    List.of(),
                    Map.of(),
                    false);
            List<CompletableFuture<AgentReply>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(executor.execute(new AgentRequest(agent, "s-silent-" + i, null, "hello?", List.of(), null))
                        .subscribeAsCompletionStage());
            }
            Duration bound = guards.attemptTimeout().plusSeconds(30);
            await().atMost(bound).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
            for (CompletableFuture<AgentReply> call : calls) {
                Throwable failure = call.handle((reply, e) -> e).get();
                assertInstanceOf(
                        ProblemException.class,
                        failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> threadsInAgentCalls() <= baseline);
        }
    }

    @Test
    void aRemoteAgentThatNeverAnswersFailsEveryCallAndKeepsNoThread() throws Exception {
        silentAgentFailsEveryCallAndKeepsNoThread("remote", remote);
    }

    @Test
    void anA2aAgentThatNeverAnswersFailsEveryCallAndKeepsNoThread() throws Exception {
        silentAgentFailsEveryCallAndKeepsNoThread("a2a", a2a);
    }

    private String agentAt(String kind, String endpoint) {
        String name = kind + "_out_" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode agent = PeersWireMockResource.agent(
                name, "An agent elsewhere", null, "active", false, List.of("x"), List.of("x"));
        agent.put("kind", kind).put("endpoint", endpoint);
        peers.stubFor(get(urlPathEqualTo("/agents/" + name)).willReturn(okJson(agent.toString())));
        return name;
    }

    private static void chatFailsWithAgentFailed(String name) {
        chatFailsWithAgentFailed(name, "");
    }

    private static void chatFailsWithAgentFailed(String name, String detail) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "hello", "session_id", "s-out-" + id, "user_id", "u-out-" + id, "agent", name))
                .post("/chat")
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/agent-failed"))
                .body("detail", containsString(detail));
    }

    private void redirectIsNotFollowed(String kind) {
        String path = "/moved/" + UUID.randomUUID();
        peers.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse().withStatus(307).withHeader("Location", elsewhere.baseUrl() + "/agent")));
        String name = agentAt(kind, peers.baseUrl() + path);
        chatFailsWithAgentFailed(name, "redirect");
        peers.verify(1, postRequestedFor(urlEqualTo(path)));
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRemoteAgentsRedirectIsAFailureAndIsNotFollowed() {
        redirectIsNotFollowed("remote");
    }

    @Test
    void anA2aAgentsRedirectIsAFailureAndIsNotFollowed() {
        redirectIsNotFollowed("a2a");
    }

    @Test
    void aHostResolvingToARefusedAddressGetsNothing() throws Exception {
        // agent.test resolves to the agent (loopback, allowed) and to the metadata address: refused as a whole
        QuarkusMock.installMockForType(
                new OutboundAddressPolicy(List.of("127.0.0.0/8"), host -> switch (host) {
                    case "agent.test" ->
                        new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254")
                        };
                    case "good.test" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
                    default -> InetAddress.getAllByName(host);
                }),
                OutboundAddressPolicy.class);
        elsewhere.stubFor(post(urlEqualTo("/a2a")).willReturn(okJson("{\"reply\":\"should not be asked\"}")));
        for (String kind : List.of("remote", "a2a")) {
            chatFailsWithAgentFailed(
                    agentAt(kind, "http://agent.test:" + elsewhere.port() + "/a2a"), "AGENT_URL_ALLOW");
        }
        elsewhere.verify(0, anyRequestedFor(anyUrl()));

        // a name whose every address is allowed is called, at the address that was checked
        String name = agentAt("remote", "http://good.test:" + elsewhere.port() + "/ok");
        String id = UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "message", "hello", "session_id", "s-good-" + id, "user_id", "u-good-" + id, "agent", name))
                .post("/chat")
                .then()
                .statusCode(200)
                .body("response", equalTo("redirected"));
        elsewhere.verify(1, postRequestedFor(urlEqualTo("/ok")));
    }

    @Test
    void loopbackIsRefusedAtCallTimeWithoutAnAllowList() {
        QuarkusMock.installMockForType(new OutboundAddressPolicy(List.of()), OutboundAddressPolicy.class);
        for (String kind : List.of("remote", "a2a")) {
            chatFailsWithAgentFailed(
                    agentAt(kind, elsewhere.baseUrl().replace("localhost", "127.0.0.1") + "/x"), "AGENT_URL_ALLOW");
        }
        assertEquals(0, elsewhere.getAllServeEvents().size());
    }
}
