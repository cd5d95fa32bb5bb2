package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 404 {@code queue-row-not-found}: no {@code message_queue} row with that id. */
public class QueueRowNotFoundException extends ProblemException {

    /** @param id the row id asked for */
    public QueueRowNotFoundException(long id) {
        super(SupervisorProblem.QUEUE_ROW_NOT_FOUND, "No message queue row " + id);
    }
}
