package dev.switchboard.supervisor.peers;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * prompt-service's error answers as typed exceptions: 404 ({@code prompt-not-found}, {@code label-not-found}) →
 * {@link PromptNotFoundException}, any other 4xx → {@link PeerRejectedException}, 5xx → {@link PeerFailedException}.
 */
public class PromptExceptionMapper implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        return PeerProblems.fromResponse(
                PromptClient.PEER,
                response,
                (slug, detail) -> response.getStatus() == 404 ? new PromptNotFoundException(slug, detail) : null);
    }
}
