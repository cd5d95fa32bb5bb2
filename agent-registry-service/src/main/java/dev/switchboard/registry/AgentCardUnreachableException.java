package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** {@link RegistryProblem#AGENT_CARD_UNREACHABLE}: the A2A Agent Card could not be fetched (after retries). */
public class AgentCardUnreachableException extends ProblemException {

    /**
     * @param cardUrl the card URL
     * @param cause   the failure (logged only)
     */
    public AgentCardUnreachableException(String cardUrl, Throwable cause) {
        super(
                RegistryProblem.AGENT_CARD_UNREACHABLE,
                "The agent card at " + cardUrl + " could not be fetched",
                null,
                Map.of(),
                cause);
    }
}
