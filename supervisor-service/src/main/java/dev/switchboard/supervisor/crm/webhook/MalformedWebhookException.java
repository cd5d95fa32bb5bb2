package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 400 {@code malformed-webhook}: an authentic delivery whose body is not JSON or lacks the ids it needs. */
public class MalformedWebhookException extends ProblemException {

    /** @param detail what is wrong */
    public MalformedWebhookException(String detail) {
        super(SupervisorProblem.MALFORMED_WEBHOOK, detail);
    }
}
