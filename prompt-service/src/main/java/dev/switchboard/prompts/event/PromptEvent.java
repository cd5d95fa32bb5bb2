package dev.switchboard.prompts.event;

import java.time.Instant;

/**
 * A change notice on {@code sb:events:prompts}, serialised as
 * {@code {"seq","type","prompt_id","version","label","timestamp"}} (absent fields left out; {@code seq} added by the
 * publisher). Consumers
 * (supervisor prompt caches) drop what they cached for {@code prompt_id}.
 *
 * @param type      {@code prompt.created}, {@code prompt.updated}, {@code prompt.deleted} or {@code prompt.label_moved}
 * @param promptId  the prompt
 * @param version   the version concerned (new version, label target); null for deletes
 * @param label     the label moved (label_moved), else null
 * @param timestamp when the change was committed
 */
public record PromptEvent(String type, String promptId, Integer version, String label, Instant timestamp) {

    /** A prompt was created (or re-created after a delete). */
    public static final String CREATED = "prompt.created";
    /** A prompt got a new version or new flags. */
    public static final String UPDATED = "prompt.updated";
    /** A prompt was deleted. */
    public static final String DELETED = "prompt.deleted";
    /** A label now points at another version. */
    public static final String LABEL_MOVED = "prompt.label_moved";

    /** @return an event stamped now */
    public static PromptEvent of(String type, String promptId, Integer version, String label) {
        return new PromptEvent(type, promptId, version, label, Instant.now());
    }
}
