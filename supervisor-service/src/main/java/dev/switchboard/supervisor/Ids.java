package dev.switchboard.supervisor;

/** The id rule shared by every id in the API (session, user, agent, turn). */
public final class Ids {

    /** Allowed ids: 1..128 of letters, digits, {@code . _ : -}. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";
    /** Validation message for ids. */
    public static final String MESSAGE = "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'";

    private Ids() {
    }
}
