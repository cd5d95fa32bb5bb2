package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code queue-row-not-found}: no {@code message_queue} row with that id. */
public class QueueRowNotFoundException extends ProblemException {

    /** @param id the row id asked for */
    public QueueRowNotFoundException(long id) {
        super("queue-row-not-found", "Queue row not found", 404, "No message queue row " + id);
    }
}
