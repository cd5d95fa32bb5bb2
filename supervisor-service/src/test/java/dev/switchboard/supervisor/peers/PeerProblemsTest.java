package dev.switchboard.supervisor.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/** The one reading of a failed call to a Switchboard peer: typed problems stay, timeouts are 504, the rest 503. */
class PeerProblemsTest {

    private static final PeerPolicy.Rules RULES = PeerProblems.rules("state-service");

    @Test
    void aPeersAnswerStaysItsTypedProblemEvenWrapped() {
        SessionNotFoundException notFound = new SessionNotFoundException("Session s1 not found");
        assertSame(notFound, RULES.problem(notFound));
        assertSame(notFound, RULES.problem(new ProcessingException(notFound)));
        PeerFailedException failed = new PeerFailedException("internal-error", "Internal error", 500, "boom");
        assertSame(failed, RULES.problem(new ProcessingException(failed)));
    }

    @Test
    void timeoutsOfTheGuardAndOfTheHttpClientAre504() {
        for (Throwable timeout : new Throwable[] {
            new TimeoutException("state-service:find-session timed out"),
            new ProcessingException(new java.util.concurrent.TimeoutException("idle")),
            new ProcessingException(new SocketTimeoutException("read timed out"))
        }) {
            Throwable problem = RULES.problem(timeout);
            assertInstanceOf(DependencyTimeoutException.class, problem, timeout.toString());
            assertEquals(504, ((DependencyTimeoutException) problem).status());
        }
    }

    @Test
    void anUnreachablePeerOrAnOpenBreakerIs503() {
        for (Throwable down : new Throwable[] {
            new CircuitBreakerOpenException("open"),
            new ProcessingException(new ConnectException("refused")),
            new IOException("connection closed")
        }) {
            Throwable problem = RULES.problem(down);
            assertInstanceOf(DependencyUnavailableException.class, problem, down.toString());
            assertEquals(503, ((DependencyUnavailableException) problem).status());
        }
    }

    @Test
    void onlyARefusalIsTheCallersFault() {
        assertTrue(RULES.refused(new PeerRejectedException("invalid-text", "Text cannot be stored", 400, "no")));
        assertTrue(RULES.refused(new VersionConflictException("changed")));
        assertFalse(RULES.refused(new PeerFailedException("internal-error", "Internal error", 500, "boom")));
        assertFalse(RULES.refused(new DependencyTimeoutException("state-service", null)));
        assertTrue(RULES.repeatable(new DependencyUnavailableException("state-service", null)));
    }
}
