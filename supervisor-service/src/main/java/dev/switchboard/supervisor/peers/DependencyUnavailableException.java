package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/** 503 {@code dependency-unavailable}: a peer cannot be reached or its circuit breaker is open. */
public class DependencyUnavailableException extends ProblemException {

    /**
     * @param peer  the peer's name, e.g. {@code state-service}
     * @param cause the connection failure (logged, never sent)
     */
    public DependencyUnavailableException(String peer, Throwable cause) {
        super(
                SupervisorProblem.DEPENDENCY_UNAVAILABLE,
                peer + " is unavailable; retry shortly",
                null,
                Map.of("Retry-After", "1"),
                cause);
    }
}
