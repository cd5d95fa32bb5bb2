package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/** 502 {@code agent-card-unreachable}: the A2A Agent Card could not be fetched (after retries). */
public class AgentCardUnreachableException extends ProblemException {

    /**
     * @param cardUrl the card URL
     * @param cause   the failure (logged only)
     */
    public AgentCardUnreachableException(String cardUrl, Throwable cause) {
        super("agent-card-unreachable", "Agent card unreachable", 502,
                "The agent card at " + cardUrl + " could not be fetched", null, Map.of(), cause);
    }
}
