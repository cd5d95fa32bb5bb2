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
                "Too many failed logins for this user name or address; retry in " + retryAfterSeconds + " s",
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                null);
    }

    /** 409 {@code user-exists}. */
    public static ProblemException userExists(String username) {
        return new ProblemException(SupervisorProblem.USER_EXISTS, "User " + username + " already exists");
    }
}
