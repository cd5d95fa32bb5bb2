package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** {@link PromptProblem#PROMPT_NOT_FOUND}: no (undeleted) prompt has this id. */
public class PromptNotFoundException extends ProblemException {

    /** @param id the prompt id asked for */
    public PromptNotFoundException(String id) {
        super(PromptProblem.PROMPT_NOT_FOUND, "No prompt with id '" + id + "'");
    }
}
