package dev.switchboard.state.rest;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;

/**
 * Parses {@code If-Match} / {@code If-None-Match} and builds {@code ETag} values: the session version, quotes (and
 * {@code W/}) optional.
 */
final class IfMatch {

    private IfMatch() {}

    /**
     * @param header the raw header, or {@code null}
     * @return the version, or {@code null} when the header is absent
     * @throws ProblemException 400 {@code validation-failed} when it is not a non-negative number
     */
    static Long parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("If-Match", "must be a session version number");
    }

    /**
     * @param header the raw {@code If-None-Match}, or {@code null}
     * @return {@code true} for {@code *} (the session must not exist yet), {@code false} when absent
     * @throws ProblemException 400 {@code validation-failed} for any other value (sessions have no other ETags to
     *                          match against)
     */
    static boolean noneMatchAny(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if ("*".equals(header.trim())) {
            return true;
        }
        throw invalid("If-None-Match", "must be *");
    }

    /** @return the 400 {@code validation-failed} problem for a precondition header */
    static ProblemException invalid(String header, String message) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, List.of(new Problem.FieldError(header, message)));
    }

    /** @return the strong ETag of a version, e.g. {@code "3"} */
    static String etag(long version) {
        return "\"" + version + "\"";
    }
}
