package dev.switchboard.prompts;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * {@link PromptProblem#MISSING_VARIABLES}: a render was asked without a value for some placeholder. {@code errors[]}
 * has one entry per missing variable, its {@code field} being the variable name.
 */
public class MissingVariablesException extends ProblemException {

    private final List<String> missing;

    /** @param missing names of the variables without a value, in order of first appearance */
    public MissingVariablesException(List<String> missing) {
        super(
                PromptProblem.MISSING_VARIABLES,
                "No value for template variable(s): " + String.join(", ", missing),
                missing.stream()
                        .map(name -> new Problem.FieldError(name, "no value given for this template variable"))
                        .toList(),
                Map.of(),
                null);
        this.missing = List.copyOf(missing);
    }

    /** @return names of the missing variables */
    public List<String> missing() {
        return missing;
    }
}
