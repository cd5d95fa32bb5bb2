package dev.switchboard.prompts;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;

/**
 * {@link PromptProblem#INVALID_TEMPLATE}: the content has a malformed placeholder, or the declared
 * {@code variables[]} do not match the placeholders in the content. {@code errors[]} lists each issue.
 */
public class InvalidTemplateException extends ProblemException {

    /** @param errors one entry per issue (field {@code content} or {@code variables}) */
    public InvalidTemplateException(List<Problem.FieldError> errors) {
        super(PromptProblem.INVALID_TEMPLATE, errors);
    }
}
