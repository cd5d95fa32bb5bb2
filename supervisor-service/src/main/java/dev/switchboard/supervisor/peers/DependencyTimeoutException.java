package dev.switchboard.supervisor.peers;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/** 504 {@code dependency-timeout}: a peer did not answer in time. */
public class DependencyTimeoutException extends ProblemException {

    /**
     * @param peer  the peer's name, e.g. {@code prompt-service}
     * @param cause the timeout (logged, never sent)
     */
    public DependencyTimeoutException(String peer, Throwable cause) {
        super(SupervisorProblem.DEPENDENCY_TIMEOUT, peer + " did not answer in time", null, Map.of(), cause);
    }
}
