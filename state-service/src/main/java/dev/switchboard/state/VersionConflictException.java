package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** {@link StateProblem#VERSION_CONFLICT}: the If-Match version is not the current one; the ETag header carries it. */
public class VersionConflictException extends ProblemException {

    /**
     * @param sessionId the session
     * @param expected  the version the client sent
     * @param current   the current version
     */
    public VersionConflictException(String sessionId, long expected, long current) {
        super(
                StateProblem.VERSION_CONFLICT,
                "Session '" + sessionId + "' is at version " + current + ", not " + expected,
                null,
                Map.of("ETag", "\"" + current + "\""),
                null);
    }
}
