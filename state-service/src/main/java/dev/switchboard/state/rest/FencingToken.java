package dev.switchboard.state.rest;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;

/** Parses the {@code X-Fencing-Token} header a lease holder (the supervisor) sends on every write. */
final class FencingToken {

    /** The header name. */
    static final String HEADER = "X-Fencing-Token";

    private FencingToken() {}

    /**
     * @param header the raw header, or {@code null}
     * @return the token, or {@code null} when the header is absent (the write is not fenced)
     * @throws ProblemException 400 {@code validation-failed} when it is not a non-negative number
     */
    static Long parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long token = Long.parseLong(header.trim());
            if (token >= 0) {
                return token;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProblemException(
                CommonProblem.VALIDATION_FAILED,
                List.of(new Problem.FieldError(HEADER, "must be a non-negative number")));
    }
}
