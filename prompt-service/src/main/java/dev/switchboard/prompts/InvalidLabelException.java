package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** 400 {@code invalid-label}: the reserved label {@code latest} cannot be moved. */
public class InvalidLabelException extends ProblemException {

    /** @param label the label asked for */
    public InvalidLabelException(String label) {
        super("invalid-label", "Invalid label", 400, "Label '" + label + "' cannot be moved: 'latest' always means the newest version");
    }
}
