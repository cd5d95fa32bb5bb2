package dev.switchboard.supervisor.peers;

import dev.switchboard.supervisor.routing.AgentNotFoundException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * agent-registry-service's error answers as typed exceptions: 404 {@code supervisor-not-found} →
 * {@link SupervisorNotFoundException}, any other 404 → {@link AgentNotFoundException}, any other 4xx →
 * {@link PeerRejectedException}, 5xx → {@link PeerFailedException}. Also the canary rollback's client uses it.
 */
public class AgentRegistryExceptionMapper implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        return PeerProblems.fromResponse(
                AgentRegistryClient.PEER,
                response,
                (slug, detail) -> response.getStatus() != 404
                        ? null
                        : "supervisor-not-found".equals(slug)
                                ? new SupervisorNotFoundException(detail)
                                : AgentNotFoundException.fromPeer(detail));
    }
}
