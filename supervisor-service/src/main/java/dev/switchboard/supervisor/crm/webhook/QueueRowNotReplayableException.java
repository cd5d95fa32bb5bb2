package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 409 {@code queue-row-not-failed}: only a {@code failed} (dead-letter) row can be replayed. */
public class QueueRowNotReplayableException extends ProblemException {

    /**
     * @param id     the row
     * @param status its current status
     */
    public QueueRowNotReplayableException(long id, String status) {
        super(
                SupervisorProblem.QUEUE_ROW_NOT_FAILED,
                "Message queue row " + id + " is " + status + "; only failed rows can be replayed");
    }
}
