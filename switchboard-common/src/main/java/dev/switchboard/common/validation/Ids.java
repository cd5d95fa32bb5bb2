package dev.switchboard.common.validation;

/**
 * The id rule of every Switchboard API, the same everywhere so that an id one service accepts, every other accepts
 * too: session, user, turn, checkpoint, agent, prompt, label and supervisor ids are 1..128 letters, digits,
 * {@code .}, {@code _}, {@code :} or {@code -}.
 */
public final class Ids {

    /** Regular expression every id must match. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";

    /** Validation message for ids that do not match {@link #PATTERN}. */
    public static final String MESSAGE = "must match " + PATTERN;

    private Ids() {}
}
