package dev.switchboard.supervisor.sessions;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/** 503 {@code shutting-down}: this replica is draining (SIGTERM received); another replica takes the retry. */
public class ShuttingDownException extends ProblemException {

    /** Creates the problem with {@code Retry-After: 1}. */
    public ShuttingDownException() {
        super(
                SupervisorProblem.SHUTTING_DOWN,
                "This supervisor is shutting down and takes no new messages; retry (another replica will answer)",
                null,
                Map.of("Retry-After", "1"),
                null);
    }
}
