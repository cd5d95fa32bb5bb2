package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** 422 {@code invalid-agent-card}: the fetched document is not a usable A2A Agent Card (no name, description or url). */
public class InvalidAgentCardException extends ProblemException {

    /** @param detail what is missing or wrong */
    public InvalidAgentCardException(String detail) {
        super("invalid-agent-card", "Invalid agent card", 422, detail);
    }
}
