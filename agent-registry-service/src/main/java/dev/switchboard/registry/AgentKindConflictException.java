package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link RegistryProblem#AGENT_KIND_CONFLICT}: an A2A card registration names an agent that exists with another kind;
 * a card never turns an agent into an {@code a2a} one (its endpoint would then be the card's).
 */
public class AgentKindConflictException extends ProblemException {

    /**
     * @param name the agent
     * @param kind its current kind
     */
    public AgentKindConflictException(String name, String kind) {
        super(
                RegistryProblem.AGENT_KIND_CONFLICT,
                "Agent '" + name + "' exists with kind " + kind
                        + "; an A2A card cannot replace it (choose another name, or delete the agent first)");
    }
}
