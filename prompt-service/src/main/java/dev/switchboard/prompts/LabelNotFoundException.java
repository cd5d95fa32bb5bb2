package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code label-not-found}: the prompt exists but the label points nowhere. */
public class LabelNotFoundException extends ProblemException {

    /**
     * @param id the prompt id
     * @param label the label asked for
     */
    public LabelNotFoundException(String id, String label) {
        super("label-not-found", "Label not found", 404, "Prompt '" + id + "' has no label '" + label + "'");
    }
}
