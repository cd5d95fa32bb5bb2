package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 500 {@code turn-not-stored}: state-service refused the agent's turn (a 4xx for what the supervisor sent, so the
 * supervisor's fault, not the client's). The user's message was kept as a failed turn that names the refusal;
 * resending the message is safe.
 */
public class TurnNotStoredException extends ProblemException {

    /**
     * @param sessionId the session
     * @param cause     state-service's refusal (logged, never sent)
     */
    public TurnNotStoredException(String sessionId, Throwable cause) {
        super(
                SupervisorProblem.TURN_NOT_STORED,
                "The answer in session " + sessionId + " could not be stored; your message was kept, please resend it",
                null,
                java.util.Map.of(),
                cause);
    }
}
