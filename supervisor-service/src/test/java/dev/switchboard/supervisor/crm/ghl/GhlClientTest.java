package dev.switchboard.supervisor.crm.ghl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * How a failed GoHighLevel call reads: 503 only when GHL surely did not carry the request out, 504 whenever it may
 * have (a message send is then never repeated).
 */
class GhlClientTest {

    @Test
    void ghlsAnswerStaysTyped() {
        GhlRejectedException rejected = new GhlRejectedException(404, "GoHighLevel answered 404");
        assertSame(rejected, GhlClient.problem(new ProcessingException(rejected)));
    }

    @Test
    void anOpenBreakerOrAnUnreachableGhlSentNothing() {
        GhlUnavailableException open = assertInstanceOf(
                GhlUnavailableException.class, GhlClient.problem(new CircuitBreakerOpenException("open")));
        assertTrue(open.breakerOpen());
        GhlUnavailableException unreachable = assertInstanceOf(
                GhlUnavailableException.class,
                GhlClient.problem(new ProcessingException(new ConnectException("refused"))));
        assertFalse(unreachable.breakerOpen());
    }

    @Test
    void aTimeoutOrABrokenExchangeLeavesTheOutcomeUnknown() {
        assertInstanceOf(GhlTimeoutException.class, GhlClient.problem(new TimeoutException("ghl:send-message")));
        assertInstanceOf(
                GhlTimeoutException.class,
                GhlClient.problem(new ProcessingException(new java.util.concurrent.TimeoutException("idle"))));
        assertInstanceOf(GhlTimeoutException.class, GhlClient.problem(new IOException("connection closed")));
    }
}
