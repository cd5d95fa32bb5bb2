package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.common.problem.ProblemType;
import java.util.Map;

/**
 * A peer answered 4xx: the request was refused, the peer itself is fine. Carries the peer's problem type
 * and status so it passes through unchanged; never counted as a failure by circuit breakers and never
 * retried.
 */
public class PeerRejectedException extends ProblemException {

    /**
     * @param type   the peer's problem type URI (or slug)
     * @param title  the peer's problem title
     * @param status the peer's HTTP status (4xx)
     * @param detail the peer's detail
     */
    public PeerRejectedException(String type, String title, int status, String detail) {
        super(type, title, status, detail, null, Map.of(), null);
    }

    /**
     * A refusal the supervisor passes on as a type of its own catalogue.
     *
     * @param type   the supervisor's view of the peer's problem type
     * @param detail the peer's detail
     */
    protected PeerRejectedException(ProblemType type, String detail) {
        super(type, detail);
    }
}
