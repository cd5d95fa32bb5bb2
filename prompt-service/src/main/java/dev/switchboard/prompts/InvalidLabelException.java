package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** {@link PromptProblem#INVALID_LABEL}: the reserved label {@code latest} cannot be moved. */
public class InvalidLabelException extends ProblemException {

    /** @param label the label asked for */
    public InvalidLabelException(String label) {
        super(
                PromptProblem.INVALID_LABEL,
                "Label '" + label + "' cannot be moved: 'latest' always means the newest version");
    }
}
