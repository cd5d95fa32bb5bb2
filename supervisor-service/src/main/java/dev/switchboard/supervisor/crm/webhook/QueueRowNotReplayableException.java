package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code queue-row-not-failed}: only a {@code failed} (dead-letter) row can be replayed. */
public class QueueRowNotReplayableException extends ProblemException {

    /**
     * @param id     the row
     * @param status its current status
     */
    public QueueRowNotReplayableException(long id, String status) {
        super("queue-row-not-failed", "Queue row not replayable", 409,
                "Message queue row " + id + " is " + status + "; only failed rows can be replayed");
    }
}
