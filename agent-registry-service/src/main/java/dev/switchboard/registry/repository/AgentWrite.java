package dev.switchboard.registry.repository;

import dev.switchboard.registry.Agent;

/**
 * Outcome of a write to {@code registry.agents}.
 *
 * @param agent  the row after the write (the unchanged row when nothing changed)
 * @param change what the write did
 */
public record AgentWrite(Agent agent, Change change) {

    /** What a write did to the row. */
    public enum Change {
        /** A new row was inserted (revision 1). */
        CREATED,
        /** The row changed; revision was incremented. */
        UPDATED,
        /** The row already had this content; nothing was written. */
        UNCHANGED
    }

    /** @return whether the row was inserted or changed (and so an event is due) */
    public boolean changed() {
        return change != Change.UNCHANGED;
    }
}
