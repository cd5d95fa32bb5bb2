package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** 409 {@code prompt-exists}: POST of an id that is already taken. */
public class PromptExistsException extends ProblemException {

    /** @param id the existing id */
    public PromptExistsException(String id) {
        super("prompt-exists", "Prompt already exists", 409, "A prompt with id '" + id + "' already exists; use PUT /admin/prompts/" + id + " to change it");
    }
}
