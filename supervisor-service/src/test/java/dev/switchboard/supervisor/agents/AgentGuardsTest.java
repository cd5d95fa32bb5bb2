package dev.switchboard.supervisor.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which remote-agent failures are retried: only those that prove the turn never reached the agent. */
class AgentGuardsTest {

    @Test
    void retriesOnlyWhatNeverReachedTheAgent() {
        assertTrue(AgentGuards.neverReachedTheAgent(new ProcessingException(new ConnectException("refused"))));
        assertTrue(AgentGuards.neverReachedTheAgent(
                new IllegalStateException("a2a", new RuntimeException(new UnknownHostException("nowhere")))));
        assertFalse(AgentGuards.neverReachedTheAgent(new WebApplicationException(500)), "it answered");
        assertFalse(AgentGuards.neverReachedTheAgent(new TimeoutException()), "it may be running the turn");
        assertFalse(
                AgentGuards.neverReachedTheAgent(new IllegalStateException("remote agent answered without a reply")));
    }
}
