package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code checkpoint-not-found}: the thread has no checkpoint with that id. */
public class CheckpointNotFoundException extends ProblemException {

    /**
     * @param threadId     the thread
     * @param checkpointId the unknown checkpoint
     */
    public CheckpointNotFoundException(String threadId, String checkpointId) {
        super("checkpoint-not-found", "Checkpoint not found", 404,
                "Thread '" + threadId + "' has no checkpoint '" + checkpointId + "'");
    }
}
