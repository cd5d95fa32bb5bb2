package dev.switchboard.prompts;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 400 {@code invalid-template}: the content has a malformed placeholder, or the declared
 * {@code variables[]} do not match the placeholders in the content. {@code errors[]} lists each issue.
 */
public class InvalidTemplateException extends ProblemException {

    /** @param errors one entry per issue (field {@code content} or {@code variables}) */
    public InvalidTemplateException(List<Problem.FieldError> errors) {
        super("invalid-template", "Invalid prompt template", 400,
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")),
                List.copyOf(errors), Map.of(), null);
    }
}
