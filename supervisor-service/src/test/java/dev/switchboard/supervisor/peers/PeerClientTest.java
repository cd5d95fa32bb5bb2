package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The guarded peer clients against WireMock: retries, circuit breaker, 404 handling, the peer's policy block. Every
 * test starts with the breakers closed ({@link dev.switchboard.supervisor.testing.ClosedBreakersCallback}).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
class PeerClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectPeers
    WireMockServer peers;

    @Inject
    StateClient state;

    @Inject
    FaultToleranceConfig faultTolerance;

    @Test
    void retriesSafeCallsOnServerErrorsAndKeepsThePeersProblem() {
        String user = "u-retry-" + UUID.randomUUID();
        String path = "/sessions/user/" + user;
        peers.stubFor(get(urlEqualTo(path))
                .willReturn(PeersWireMockResource.problem(
                        500, "internal-error", "Internal error", "An unexpected error occurred")));

        ProblemException failure = assertThrows(
                ProblemException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));

        assertInstanceOf(PeerFailedException.class, failure);
        assertEquals(500, failure.status());
        assertEquals("https://switchboard.dev/problems/internal-error", failure.type());
        assertEquals(3, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "first attempt + 2 retries");
    }

    /**
     * state-service answers 503 with {@code Retry-After} while its database is down: repeating the call after the
     * policy's 200 ms would only make the client wait (up to three database timeouts), so it is not repeated, and the
     * client gets the peer's problem with its {@code Retry-After}.
     */
    @Test
    void aPeers503WithRetryAfterIsPassedOnAtOnceWithItsRetryAfter() {
        String user = "u-db-down-" + UUID.randomUUID();
        String path = "/sessions/user/" + user;
        peers.stubFor(get(urlEqualTo(path))
                .willReturn(PeersWireMockResource.problem(
                                503, "dependency-unavailable", "Dependency unavailable", "postgresql is unavailable")
                        .withHeader("Retry-After", "1")));

        ProblemException failure = assertThrows(
                ProblemException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));

        assertInstanceOf(PeerFailedException.class, failure);
        assertEquals(503, failure.status());
        assertEquals("https://switchboard.dev/problems/dependency-unavailable", failure.type());
        assertEquals("1", failure.headers().get("Retry-After"));
        assertEquals(1, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "not repeated");
    }

    @Test
    void opensTheBreakerAfterRepeatedFailures() {
        String user = "u-breaker-" + UUID.randomUUID();
        peers.stubFor(get(urlPathMatching("/sessions/user/u-breaker-.*"))
                .willReturn(PeersWireMockResource.problem(503, "dependency-unavailable", "Unavailable", "down")));
        String path = "/sessions/user/" + user;

        for (int i = 0; i < 2; i++) {
            assertThrows(
                    PeerFailedException.class,
                    () -> state.listUserSessions(user).await().atMost(WAIT));
        }
        int attempts = peers.findAll(getRequestedFor(urlEqualTo(path))).size();
        assertEquals(6, attempts);

        ProblemException open = assertThrows(
                ProblemException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));
        assertInstanceOf(DependencyUnavailableException.class, open);
        assertEquals(503, open.status());
        assertEquals("https://switchboard.dev/problems/dependency-unavailable", open.type());
        assertEquals(
                attempts,
                peers.findAll(getRequestedFor(urlEqualTo(path))).size(),
                "an open breaker does not call the peer");
    }

    @Test
    void notFoundIsATypedExceptionThatNeverTripsTheBreaker() {
        String missing = "s-missing-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            assertThrows(
                    SessionNotFoundException.class,
                    () -> state.findSession(missing).await().atMost(WAIT));
        }
        assertEquals(
                10,
                peers.findAll(getRequestedFor(urlEqualTo("/sessions/" + missing)))
                        .size(),
                "404 is not retried");

        String existing = "s-found-" + UUID.randomUUID();
        peers.stubFor(get(urlEqualTo("/sessions/" + existing))
                .willReturn(okJson("{\"session_id\":\"" + existing + "\",\"version\":7}")));
        Session session = state.findSession(existing).await().atMost(WAIT);
        assertEquals(7, session.version(), "the breaker stayed closed");
    }

    /**
     * Each repetition opens the breaker of {@code listUserSessions} and leaves it open (for 5 s); the next one still
     * starts with it closed, because {@link dev.switchboard.supervisor.testing.ClosedBreakersCallback} closes every
     * breaker before each test. Whatever the order, no test inherits the failures of the tests before it.
     */
    @RepeatedTest(2)
    void everyTestStartsWithClosedBreakers() {
        String user = "u-fresh-" + UUID.randomUUID();
        String path = "/sessions/user/" + user;
        peers.stubFor(get(urlEqualTo(path))
                .willReturn(PeersWireMockResource.problem(503, "dependency-unavailable", "Unavailable", "down")));

        assertThrows(
                PeerFailedException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT),
                "closed at the start: the call reaches state-service");
        assertEquals(3, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "first attempt + 2 retries");
        assertThrows(
                PeerFailedException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));
        assertInstanceOf(
                DependencyUnavailableException.class,
                assertThrows(
                        ProblemException.class,
                        () -> state.listUserSessions(user).await().atMost(WAIT)),
                "six failures in a row opened it");
        assertEquals(6, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "an open breaker does not call");
    }

    /**
     * The test configuration sets state-service's {@code timeout} to 3 s (application.properties: 5 s) and leaves the
     * other peers' blocks alone: a turn append answered after 6 s fails after about 3 s with 504, once.
     */
    @Test
    void aPeersTimeoutIsTheOneOfItsPolicyBlock() {
        assertEquals(Duration.ofSeconds(3), faultTolerance.stateService().timeout());
        assertEquals(Duration.ofSeconds(2), faultTolerance.promptService().timeout(), "another peer keeps its own");
        String session = "s-slow-" + UUID.randomUUID();
        String path = "/sessions/" + session + "/turns";
        peers.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withFixedDelay(6_000)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"session\":{\"session_id\":\"" + session
                                + "\",\"version\":2},\"checkpoint_id\":\"late\"}")));
        NewTurn turn = new NewTurn(
                UUID.randomUUID().toString(),
                List.of(new NewTurn.Message("user", "hi", null, null)),
                "general_assistant_agent",
                new Session.Routing("explicit", 1.0),
                "ok",
                null,
                Map.of());

        long start = System.nanoTime();
        ProblemException failure = assertThrows(
                ProblemException.class,
                () -> state.appendTurn(session, 1, null, turn).await().atMost(WAIT));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertInstanceOf(DependencyTimeoutException.class, failure);
        assertEquals(504, failure.status());
        assertEquals("https://switchboard.dev/problems/dependency-timeout", failure.type());
        assertTrue(
                took.compareTo(Duration.ofMillis(2_500)) >= 0 && took.compareTo(Duration.ofMillis(4_500)) < 0,
                "timed out after " + took.toMillis() + " ms");
        assertEquals(1, peers.findAll(postRequestedFor(urlEqualTo(path))).size(), "an append is never retried");
    }
}
