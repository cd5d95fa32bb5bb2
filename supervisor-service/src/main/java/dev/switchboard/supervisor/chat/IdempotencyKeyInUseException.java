package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/**
 * 409 {@code idempotency-key-in-use}: the first request with this idempotency key is still running (IETF
 * draft-ietf-httpapi-idempotency-key-header, "concurrent requests"); nothing was done for this one. Resend after
 * {@code Retry-After} seconds to get the first request's answer.
 */
public class IdempotencyKeyInUseException extends ProblemException {

    /** @param retryAfterSeconds sent as {@code Retry-After} */
    public IdempotencyKeyInUseException(long retryAfterSeconds) {
        super(
                SupervisorProblem.IDEMPOTENCY_KEY_IN_USE,
                "A request with this Idempotency-Key is still being processed; resend it later to get its answer",
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                null);
    }
}
