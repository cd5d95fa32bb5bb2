package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;

/** 400 {@code malformed-webhook}: an authentic delivery whose body is not JSON or lacks the ids it needs. */
public class MalformedWebhookException extends ProblemException {

    /** @param detail what is wrong */
    public MalformedWebhookException(String detail) {
        super("malformed-webhook", "Malformed webhook", 400, detail);
    }
}
