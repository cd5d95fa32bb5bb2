package dev.switchboard.prompts.rest;

/** Shared validation patterns of path and body identifiers. */
final class Ids {

    /** Prompt ids and labels: {@code [A-Za-z0-9._:-]{1,128}}. */
    static final String PATTERN = dev.switchboard.common.validation.Ids.PATTERN;
    /** Message for {@link #PATTERN} violations. */
    static final String MESSAGE = dev.switchboard.common.validation.Ids.MESSAGE;
    /** Positive version numbers as query text. */
    static final String VERSION_PATTERN = "[1-9][0-9]{0,8}";

    private Ids() {}

    /** @return the parsed version, or {@code null} when absent */
    static Integer version(String text) {
        return text == null || text.isBlank() ? null : Integer.valueOf(text);
    }
}
