package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/**
 * A peer answered 5xx: its problem type, status and {@code Retry-After} are kept; counted by circuit breakers and
 * retried on safe calls.
 */
public class PeerFailedException extends ProblemException {

    /**
     * @param type   the peer's problem type URI (or slug)
     * @param title  the peer's problem title
     * @param status the peer's HTTP status (5xx)
     * @param detail the peer's detail
     */
    public PeerFailedException(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }

    /**
     * @param retryAfter the peer's {@code Retry-After} (e.g. 503 {@code dependency-unavailable} while its database is
     *                   down), passed on to the client; {@code null} for none
     */
    public PeerFailedException(String type, String title, int status, String detail, String retryAfter) {
        super(
                type,
                title,
                status,
                detail,
                null,
                retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter),
                null);
    }
}
