package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 404 {@code webhook-provider-not-found}: {@code POST /webhooks/{provider}} names no provider, or one its
 * configuration switches off.
 */
public class WebhookProviderNotFoundException extends ProblemException {

    /** @param provider the name in the path */
    public WebhookProviderNotFoundException(String provider) {
        super(SupervisorProblem.WEBHOOK_PROVIDER_NOT_FOUND, "No webhook provider '" + provider + "'");
    }

    /**
     * @param provider the name in the path
     * @param reason   why the provider is off, naming the setting that switches it on
     */
    public WebhookProviderNotFoundException(String provider, String reason) {
        super(SupervisorProblem.WEBHOOK_PROVIDER_NOT_FOUND, reason);
    }
}
