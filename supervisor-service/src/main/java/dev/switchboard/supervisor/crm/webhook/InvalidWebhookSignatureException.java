package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 401 {@code invalid-webhook-signature}: the delivery is not authentic (missing or wrong signature or shared
 * secret, no key configured) or its {@code timestamp} lies outside the accepted window. Nothing is stored.
 */
public class InvalidWebhookSignatureException extends ProblemException {

    /** @param detail why it was refused (never key material) */
    public InvalidWebhookSignatureException(String detail) {
        super(SupervisorProblem.INVALID_WEBHOOK_SIGNATURE, detail);
    }
}
