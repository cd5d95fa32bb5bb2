package dev.switchboard.prompts.service;

/**
 * A YAML prompt entry without a valid id, type or content, or with text PostgreSQL cannot store. The importer logs
 * it and skips the file; it never reaches a client, so it is no problem type.
 */
public class InvalidPromptFileException extends RuntimeException {

    /** @param detail what is wrong and where, e.g. {@code prompt x: content is empty} */
    public InvalidPromptFileException(String detail) {
        super(detail);
    }
}
