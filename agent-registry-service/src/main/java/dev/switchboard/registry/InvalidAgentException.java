package dev.switchboard.registry;

import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;

/**
 * {@link CommonProblem#VALIDATION_FAILED} for rules beyond Bean Validation (same type and shape as the mapper's).
 */
public class InvalidAgentException extends ProblemException {

    /** @param errors the invalid fields, at least one */
    public InvalidAgentException(List<Problem.FieldError> errors) {
        super(CommonProblem.VALIDATION_FAILED, errors);
    }

    /** Shortcut for one invalid field. */
    public static InvalidAgentException of(String field, String message) {
        return new InvalidAgentException(List.of(new Problem.FieldError(field, message)));
    }
}
