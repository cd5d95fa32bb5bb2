package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** {@link PromptProblem#LABEL_NOT_FOUND}: the prompt exists but the label points nowhere. */
public class LabelNotFoundException extends ProblemException {

    /**
     * @param id the prompt id
     * @param label the label asked for
     */
    public LabelNotFoundException(String id, String label) {
        super(PromptProblem.LABEL_NOT_FOUND, "Prompt '" + id + "' has no label '" + label + "'");
    }
}
