package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code webhook-provider-not-found}: {@code POST /webhooks/{provider}} names no configured provider. */
public class WebhookProviderNotFoundException extends ProblemException {

    /** @param provider the name in the path */
    public WebhookProviderNotFoundException(String provider) {
        super("webhook-provider-not-found", "Webhook provider not found", 404,
                "No webhook provider '" + provider + "'");
    }
}
