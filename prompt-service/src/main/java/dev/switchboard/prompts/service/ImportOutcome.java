package dev.switchboard.prompts.service;

/** What importing one YAML prompt did. */
public enum ImportOutcome {
    /** A new prompt with version 1. */
    CREATED,
    /** A new version (labels moved to it) or changed flags. */
    UPDATED,
    /** Same content and flags as stored: nothing written. */
    UNCHANGED,
    /** The prompt is API-managed or deleted: the YAML is ignored. */
    SKIPPED
}
