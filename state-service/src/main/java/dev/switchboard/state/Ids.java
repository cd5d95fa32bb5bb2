package dev.switchboard.state;

/** The id syntax shared by sessions, users, turns, checkpoints and agent names. */
public final class Ids {

    /** Regular expression every id must match: 1..128 of letters, digits and {@code . _ : -}. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";

    /** Validation message for ids that do not match {@link #PATTERN}. */
    public static final String MESSAGE = "must match " + PATTERN;

    private Ids() {
    }
}
