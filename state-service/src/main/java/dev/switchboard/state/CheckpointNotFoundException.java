package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#CHECKPOINT_NOT_FOUND}: the thread has no checkpoint with that id. */
public class CheckpointNotFoundException extends ProblemException {

    /**
     * @param threadId     the thread
     * @param checkpointId the unknown checkpoint
     */
    public CheckpointNotFoundException(String threadId, String checkpointId) {
        super(StateProblem.CHECKPOINT_NOT_FOUND, "Thread '" + threadId + "' has no checkpoint '" + checkpointId + "'");
    }
}
