package dev.switchboard.supervisor.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * This replica's registration with the registry (faked by WireMock): registered at start, heartbeats, registers again
 * on 404, deregisters once. One test method: deregistering stops the registrar for the rest of the shared boot.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class SupervisorInstanceRegistrarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectPeers
    WireMockServer peers;

    @Inject
    SupervisorInstanceRegistrar registrar;

    @Inject
    Scheduler scheduler;

    @Test
    void registersHeartbeatsReRegistersOn404AndDeregistersOnce() throws Exception {
        try {
            // registered at start (or by a heartbeat tick) with its id, address and capacity
            await().atMost(Duration.ofSeconds(20)).until(registrar::isRegistered);
            // from here on only the test ticks, so each tick's requests can be counted exactly
            scheduler.pause(SupervisorInstanceRegistrar.JOB);
            String id = registrar.instanceId();
            assertNotNull(id);
            registrar.tick().await().indefinitely(); // makes sure there is at least one request in the journal
            List<LoggedRequest> registrations = peers.findAll(postRequestedFor(urlEqualTo("/supervisors")));
            if (!registrations.isEmpty()) {
                JsonNode body = JSON.readTree(registrations.get(0).getBodyAsString());
                assertEquals(id, body.path("id").asText());
                assertTrue(body.path("port").asInt() > 0, body.toString());
                assertEquals(50, body.path("capacity").asInt());
                assertTrue(
                        body.has("active_sessions") && body.has("started_at") && body.has("version"), body.toString());
            }

            peers.resetRequests();
            registrar.tick().await().indefinitely();
            peers.verify(
                    1,
                    postRequestedFor(urlEqualTo("/supervisors/" + id + "/heartbeat"))
                            .withRequestBody(matchingJsonPath("$.active_sessions"))
                            .withRequestBody(matchingJsonPath("$.capacity", WireMock.equalTo("50"))));
            peers.verify(0, postRequestedFor(urlEqualTo("/supervisors")));

            // the registry lost it (expired, data wiped): the next heartbeat registers again
            peers.stubFor(post(urlEqualTo("/supervisors/" + id + "/heartbeat"))
                    .atPriority(1)
                    .willReturn(PeersWireMockResource.problem(
                            404, "supervisor-not-found", "Supervisor not found", "gone")));
            peers.resetRequests();
            registrar.tick().await().indefinitely();
            peers.verify(
                    1,
                    postRequestedFor(urlEqualTo("/supervisors"))
                            .withRequestBody(matchingJsonPath("$.id", WireMock.equalTo(id))));
            assertTrue(registrar.isRegistered());

            // registry down: a tick never fails, the replica keeps running
            peers.resetAll();
            registrar.tick().await().atMost(Duration.ofSeconds(10));

            PeersWireMockResource.stubDefaults(peers);
            registrar.deregister().await().atMost(Duration.ofSeconds(5));
            registrar.deregister().await().atMost(Duration.ofSeconds(5));
            peers.verify(1, deleteRequestedFor(urlEqualTo("/supervisors/" + id)));
            assertFalse(registrar.isRegistered());
            peers.resetRequests();
            registrar.tick().await().indefinitely();
            peers.verify(0, postRequestedFor(WireMock.urlMatching("/supervisors.*")));
        } finally {
            scheduler.resume(SupervisorInstanceRegistrar.JOB);
            peers.resetAll();
            PeersWireMockResource.stubDefaults(peers);
        }
    }
}
