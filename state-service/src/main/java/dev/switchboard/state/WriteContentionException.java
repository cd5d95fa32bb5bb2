package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** {@link StateProblem#WRITE_CONTENTION}: a turn lost the version race on every retry; the client may retry. */
public class WriteContentionException extends ProblemException {

    /** @param sessionId the contended session */
    public WriteContentionException(String sessionId) {
        super(
                StateProblem.WRITE_CONTENTION,
                "Session '" + sessionId + "' is being written concurrently; retry the turn",
                null,
                Map.of("Retry-After", "1"),
                null);
    }
}
