package dev.switchboard.supervisor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.function.BiFunction;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Turns peers' responses and transport failures into problem exceptions: 4xx → {@link PeerRejectedException}
 * (or a typed subclass), 5xx → {@link PeerFailedException}, unreachable → 503, timeout → 504.
 */
final class PeerProblems {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PeerProblems() {
    }

    /**
     * Reads a peer's error response (problem+json when available).
     *
     * @param peer     peer name for details when the body is not a problem
     * @param response the peer's response (status &gt;= 400)
     * @param typed    maps (slug, detail) of a 4xx to a typed exception, or returns {@code null}
     */
    static RuntimeException fromResponse(String peer, Response response,
            BiFunction<String, String, PeerRejectedException> typed) {
        int status = response.getStatus();
        String type = null;
        String title = null;
        String detail = null;
        try {
            String body = response.readEntity(String.class);
            if (body != null && !body.isBlank()) {
                JsonNode node = MAPPER.readTree(body);
                type = text(node, "type");
                title = text(node, "title");
                detail = text(node, "detail");
            }
        } catch (RuntimeException | java.io.IOException e) {
            // not a problem body: fall back to the status alone
        }
        String slug = type == null ? defaultSlug(status)
                : type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : type;
        if (title == null) {
            Response.Status known = Response.Status.fromStatusCode(status);
            title = known != null ? known.getReasonPhrase() : "Peer error";
        }
        if (detail == null) {
            detail = peer + " answered " + status;
        }
        if (status >= 500) {
            return new PeerFailedException(slug, title, status, detail);
        }
        PeerRejectedException specific = typed.apply(slug, detail);
        if (specific != null) {
            return specific;
        }
        if (status == 412) {
            return new VersionConflictException(detail);
        }
        return new PeerRejectedException(slug, title, status, detail);
    }

    /**
     * Maps a failure raised while calling a peer (inside the fault-tolerance guards): problem exceptions
     * stay; connection failures become 503; transport timeouts 504.
     */
    static Throwable transport(String peer, Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        // a peer's answer mapped to a problem may arrive wrapped (e.g. in a ProcessingException): a 4xx must stay a
        // rejection wherever it is, or the breaker would count the caller's mistake against the peer
        for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        if (failure instanceof WebApplicationException wae && wae.getResponse() != null) {
            return fromResponse(peer, wae.getResponse(), (s, d) -> null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getName().contains("Timeout")) {
                return new DependencyTimeoutException(peer, failure);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new DependencyUnavailableException(peer, failure);
            }
        }
        return new DependencyUnavailableException(peer, failure);
    }

    /**
     * Maps what the fault-tolerance guards themselves raise (after retries): timeout → 504, open breaker
     * or full bulkhead → 503; anything else unchanged.
     */
    static Throwable guard(String peer, Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new DependencyTimeoutException(peer, failure);
        }
        if (failure instanceof CircuitBreakerOpenException || failure instanceof BulkheadException) {
            return new DependencyUnavailableException(peer, failure);
        }
        return transport(peer, failure);
    }

    private static String defaultSlug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 412 -> "version-conflict";
            default -> status >= 500 ? "dependency-failed" : "http-" + status;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
