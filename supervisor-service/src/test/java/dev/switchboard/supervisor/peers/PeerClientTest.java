package dev.switchboard.supervisor.peers;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The guarded peer clients against WireMock: retries, circuit breaker, 404 handling. Every test starts with the
 * breakers closed ({@link dev.switchboard.supervisor.testing.ClosedBreakersCallback}).
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

    @Test
    void retriesSafeCallsOnServerErrorsAndKeepsThePeersProblem() {
        String user = "u-retry-" + UUID.randomUUID();
        String path = "/sessions/user/" + user;
        peers.stubFor(get(urlEqualTo(path)).willReturn(
                PeersWireMockResource.problem(500, "internal-error", "Internal error", "An unexpected error occurred")));

        ProblemException failure = assertThrows(ProblemException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));

        assertInstanceOf(PeerFailedException.class, failure);
        assertEquals(500, failure.status());
        assertEquals("https://switchboard.dev/problems/internal-error", failure.type());
        assertEquals(3, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "first attempt + 2 retries");
    }

    @Test
    void opensTheBreakerAfterRepeatedFailures() {
        String user = "u-breaker-" + UUID.randomUUID();
        peers.stubFor(get(urlPathMatching("/sessions/user/u-breaker-.*")).willReturn(
                PeersWireMockResource.problem(503, "dependency-unavailable", "Unavailable", "down")));
        String path = "/sessions/user/" + user;

        for (int i = 0; i < 2; i++) {
            assertThrows(PeerFailedException.class, () -> state.listUserSessions(user).await().atMost(WAIT));
        }
        int attempts = peers.findAll(getRequestedFor(urlEqualTo(path))).size();
        assertEquals(6, attempts);

        ProblemException open = assertThrows(ProblemException.class,
                () -> state.listUserSessions(user).await().atMost(WAIT));
        assertInstanceOf(DependencyUnavailableException.class, open);
        assertEquals(503, open.status());
        assertEquals("https://switchboard.dev/problems/dependency-unavailable", open.type());
        assertEquals(attempts, peers.findAll(getRequestedFor(urlEqualTo(path))).size(),
                "an open breaker does not call the peer");
    }

    @Test
    void notFoundIsATypedExceptionThatNeverTripsTheBreaker() {
        String missing = "s-missing-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            assertThrows(SessionNotFoundException.class, () -> state.findSession(missing).await().atMost(WAIT));
        }
        assertEquals(10, peers.findAll(getRequestedFor(urlEqualTo("/sessions/" + missing))).size(),
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
        peers.stubFor(get(urlEqualTo(path)).willReturn(
                PeersWireMockResource.problem(503, "dependency-unavailable", "Unavailable", "down")));

        assertThrows(PeerFailedException.class, () -> state.listUserSessions(user).await().atMost(WAIT),
                "closed at the start: the call reaches state-service");
        assertEquals(3, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "first attempt + 2 retries");
        assertThrows(PeerFailedException.class, () -> state.listUserSessions(user).await().atMost(WAIT));
        assertInstanceOf(DependencyUnavailableException.class,
                assertThrows(ProblemException.class, () -> state.listUserSessions(user).await().atMost(WAIT)),
                "six failures in a row opened it");
        assertEquals(6, peers.findAll(getRequestedFor(urlEqualTo(path))).size(), "an open breaker does not call");
    }
}
