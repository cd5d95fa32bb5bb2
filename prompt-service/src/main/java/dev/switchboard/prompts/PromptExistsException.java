package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** {@link PromptProblem#PROMPT_EXISTS}: POST of an id that is already taken. */
public class PromptExistsException extends ProblemException {

    /** @param id the existing id */
    public PromptExistsException(String id) {
        super(
                PromptProblem.PROMPT_EXISTS,
                "A prompt with id '" + id + "' already exists; use PUT /admin/prompts/" + id + " to change it");
    }
}
