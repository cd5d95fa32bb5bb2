package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 429 {@code webhook-backpressure}: the event was not stored (queue full, too many deliveries at once, or the
 * database unavailable); the provider should deliver it again after {@code Retry-After} seconds (GHL retries only
 * on 429).
 */
public class WebhookBackPressureException extends ProblemException {

    /**
     * @param detail            why
     * @param retryAfterSeconds sent as {@code Retry-After}
     * @param cause             underlying failure, may be {@code null} (logged, never sent)
     */
    public WebhookBackPressureException(String detail, long retryAfterSeconds, Throwable cause) {
        super(
                SupervisorProblem.WEBHOOK_BACKPRESSURE,
                detail,
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                cause);
    }
}
