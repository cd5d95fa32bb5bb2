package dev.switchboard.supervisor.auth;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import java.util.Map;

/** The problems of the login endpoints (RFC 9457). */
public final class AuthExceptions {

    private AuthExceptions() {}

    /** 401 {@code invalid-credentials}: unknown user, wrong password, or a bad refresh token (never says which). */
    public static ProblemException invalidCredentials(String detail) {
        return new ProblemException(
                CommonProblem.INVALID_CREDENTIALS, detail, null, Map.of("WWW-Authenticate", "Bearer"), null);
    }

    /** 429 {@code too-many-failed-logins} with {@code Retry-After} in seconds. */
    public static ProblemException throttled(long retryAfterSeconds) {
        return new ProblemException(
                SupervisorProblem.TOO_MANY_FAILED_LOGINS,
                "Too many failed logins for this user name from this address, or from this address; retry in "
                        + retryAfterSeconds + " s",
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                null);
    }

    /**
     * 429 {@code too-many-failed-logins} with {@code Retry-After: 1}: this address already has
     * {@code LOGIN_HASH_PER_ADDRESS} password checks running or waiting.
     */
    public static ProblemException parallelLogins() {
        return new ProblemException(
                SupervisorProblem.TOO_MANY_FAILED_LOGINS,
                "Another login from this address is being checked; retry in 1 s",
                null,
                Map.of("Retry-After", "1"),
                null);
    }

    /** 503 {@code overloaded} with {@code Retry-After}: every password-checking thread and queue slot is taken. */
    public static ProblemException overloaded() {
        return new ProblemException(
                CommonProblem.OVERLOADED,
                "Too many logins are being checked; retry shortly",
                null,
                Map.of("Retry-After", "1"),
                null);
    }

    /** 409 {@code user-exists}. */
    public static ProblemException userExists(String username) {
        return new ProblemException(SupervisorProblem.USER_EXISTS, "User " + username + " already exists");
    }
}
