package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code prompt-not-found}: no (undeleted) prompt has this id. */
public class PromptNotFoundException extends ProblemException {

    /** @param id the prompt id asked for */
    public PromptNotFoundException(String id) {
        super("prompt-not-found", "Prompt not found", 404, "No prompt with id '" + id + "'");
    }
}
