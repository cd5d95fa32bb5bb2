package dev.switchboard.state.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Treats requests without a body, or without {@code Content-Type}, as JSON, so body-optional calls such as a
 * bare {@code curl -X POST /sessions} or a fork without body work instead of answering 415.
 */
public class DefaultContentTypeFilter {

    /** Sets {@code Content-Type: application/json} when the client sent none or sent an empty body. */
    @ServerRequestFilter(preMatching = true)
    public void defaultToJson(ContainerRequestContext request) {
        boolean noType = request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null;
        boolean emptyBody = "0".equals(request.getHeaderString(HttpHeaders.CONTENT_LENGTH))
                || (request.getHeaderString(HttpHeaders.CONTENT_LENGTH) == null
                        && request.getHeaderString("Transfer-Encoding") == null);
        if (noType || emptyBody) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
