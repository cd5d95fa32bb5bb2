package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#CHECKPOINT_NOT_FOUND}: the session has no checkpoint with that id. */
public class CheckpointNotFoundException extends ProblemException {

    /**
     * @param sessionId    the session
     * @param checkpointId the unknown checkpoint
     */
    public CheckpointNotFoundException(String sessionId, String checkpointId) {
        super(
                StateProblem.CHECKPOINT_NOT_FOUND,
                "Session '" + sessionId + "' has no checkpoint '" + checkpointId + "'");
    }
}
