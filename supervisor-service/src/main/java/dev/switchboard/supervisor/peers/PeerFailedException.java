package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/**
 * A peer answered 5xx: its problem type and status are kept; counted by circuit breakers and retried on
 * safe calls.
 */
public class PeerFailedException extends ProblemException {

    /**
     * @param type   the peer's problem type URI (or slug)
     * @param title  the peer's problem title
     * @param status the peer's HTTP status (5xx)
     * @param detail the peer's detail
     */
    public PeerFailedException(String type, String title, int status, String detail) {
        super(type, title, status, detail, null, Map.of(), null);
    }
}
