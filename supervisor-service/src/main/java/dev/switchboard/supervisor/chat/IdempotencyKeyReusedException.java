package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 422 {@code idempotency-key-reused}: the idempotency key was first sent with a different request (another message,
 * session, user, agent or strategy; IETF draft-ietf-httpapi-idempotency-key-header, "idempotency key is already
 * used on a different request payload"). Nothing was done; a new request needs a new key.
 */
public class IdempotencyKeyReusedException extends ProblemException {

    /** Refuses the request. */
    public IdempotencyKeyReusedException() {
        super(
                SupervisorProblem.IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was already used with a different request; send a new request with a new key");
    }
}
