package dev.switchboard.registry;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** 400 {@code validation-failed} for rules beyond Bean Validation (same type and shape as the mapper's). */
public class InvalidAgentException extends ProblemException {

    /** @param errors the invalid fields, at least one */
    public InvalidAgentException(List<Problem.FieldError> errors) {
        super("validation-failed", "Request validation failed", 400,
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")),
                List.copyOf(errors), Map.of(), null);
    }

    /** Shortcut for one invalid field. */
    public static InvalidAgentException of(String field, String message) {
        return new InvalidAgentException(List.of(new Problem.FieldError(field, message)));
    }
}
