package dev.switchboard.supervisor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.net.SocketTimeoutException;
import java.util.function.BiFunction;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * How the Switchboard services' failures read, in one place: their answers ({@link #fromResponse}, used by each REST
 * client's {@code ResponseExceptionMapper}: 4xx → {@link PeerRejectedException} or a typed subclass, 5xx →
 * {@link PeerFailedException}), and every other failure of a call ({@link #problem}: timeout → 504, unreachable or
 * open breaker → 503), as the {@link PeerPolicy.Rules} of state-service, agent-registry-service and prompt-service.
 */
public final class PeerProblems {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PeerProblems() {}

    /**
     * Reads a peer's error response (problem+json when available).
     *
     * @param peer     peer name for details when the body is not a problem
     * @param response the peer's response (status &gt;= 400)
     * @param typed    maps (slug, detail) of a 4xx to a typed exception, or returns {@code null}
     * @return the typed exception: {@link PeerFailedException} for a 5xx; for a 4xx what {@code typed} made, else
     *         {@link VersionConflictException} for 412, else {@link PeerRejectedException}
     */
    public static RuntimeException fromResponse(
            String peer, Response response, BiFunction<String, String, PeerRejectedException> typed) {
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
        String slug = type == null
                ? defaultSlug(status)
                : type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : type;
        if (title == null) {
            Response.Status known = Response.Status.fromStatusCode(status);
            title = known != null ? known.getReasonPhrase() : "Peer error";
        }
        if (detail == null) {
            detail = peer + " answered " + status;
        }
        if (status >= 500) {
            String retryAfter = response.getHeaderString("Retry-After");
            return new PeerFailedException(
                    slug,
                    title,
                    status,
                    detail,
                    retryAfter != null && retryAfter.matches("\\d{1,4}") ? retryAfter : null);
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
     * The failure rules of the Switchboard services: a {@link PeerRejectedException} (any 4xx) is a refusal; every
     * other failure but a 503 with {@code Retry-After} may be repeated by a call that is safe to repeat; failures read
     * as {@link #problem}.
     *
     * @param peer the peer's name for problem details
     * @return the rules for {@link PeerPolicy}
     */
    public static PeerPolicy.Rules rules(String peer) {
        return new PeerPolicy.Rules() {
            @Override
            public boolean refused(Throwable failure) {
                return failure instanceof PeerRejectedException;
            }

            @Override
            public boolean repeatable(Throwable failure) {
                // a peer that answered 503 with Retry-After (its database is down) asked to be left alone that long:
                // repeating the call after the policy's short delay would only make the client wait longer
                return !(failure instanceof PeerFailedException failed
                        && failed.status() == 503
                        && failed.headers().containsKey("Retry-After"));
            }

            @Override
            public Throwable problem(Throwable failure) {
                return PeerProblems.problem(peer, failure);
            }
        };
    }

    /**
     * The one reading of a failed call to a Switchboard peer: a problem exception stays (also when the REST client
     * delivers it wrapped, e.g. in a {@code ProcessingException}: a 4xx must stay a refusal wherever it is, or the
     * breaker would count the caller's mistake against the peer); a timeout (the guard's, or the HTTP client's)
     * becomes 504 {@link DependencyTimeoutException}; anything else (connection refused, unknown host, connection
     * closed, open breaker) 503 {@link DependencyUnavailableException}.
     *
     * @param peer    the peer's name for problem details
     * @param failure what the call failed with
     * @return the problem exception the caller sees
     */
    public static Throwable problem(String peer, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof SocketTimeoutException) {
                return new DependencyTimeoutException(peer, failure);
            }
        }
        return new DependencyUnavailableException(peer, failure);
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
