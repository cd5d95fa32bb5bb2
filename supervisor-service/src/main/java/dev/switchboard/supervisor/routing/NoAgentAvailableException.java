package dev.switchboard.supervisor.routing;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/** 503 {@code no-agent-available}: no active agent can take the message (registry not synced or empty). */
public class NoAgentAvailableException extends ProblemException {

    /** @param detail why, e.g. "the agent registry has not been synced yet" */
    public NoAgentAvailableException(String detail) {
        super(SupervisorProblem.NO_AGENT_AVAILABLE, detail, null, Map.of("Retry-After", "5"), null);
    }
}
