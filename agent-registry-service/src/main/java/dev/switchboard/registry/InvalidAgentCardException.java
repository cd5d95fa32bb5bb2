package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link RegistryProblem#INVALID_AGENT_CARD}: the fetched document is not a usable A2A Agent Card (no name,
 * description or url).
 */
public class InvalidAgentCardException extends ProblemException {

    /** @param detail what is missing or wrong */
    public InvalidAgentCardException(String detail) {
        super(RegistryProblem.INVALID_AGENT_CARD, detail);
    }
}
