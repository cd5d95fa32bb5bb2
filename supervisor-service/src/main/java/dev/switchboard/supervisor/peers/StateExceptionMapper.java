package dev.switchboard.supervisor.peers;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * state-service's error answers as typed exceptions: 404 {@code session-not-found} → {@link SessionNotFoundException},
 * 409 {@code stale-fencing-token} → {@link StaleFencingTokenException}, 412 → {@link VersionConflictException}, any
 * other 4xx → {@link PeerRejectedException}, 5xx → {@link PeerFailedException}.
 */
public class StateExceptionMapper implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        return PeerProblems.fromResponse(
                StateClient.PEER,
                response,
                (slug, detail) -> status == 404 && "session-not-found".equals(slug)
                        ? new SessionNotFoundException(detail)
                        : status == 409 && "stale-fencing-token".equals(slug)
                                ? new StaleFencingTokenException(detail)
                                : null);
    }
}
