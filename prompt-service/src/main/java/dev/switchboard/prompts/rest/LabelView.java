package dev.switchboard.prompts.rest;

/**
 * Response of a label move.
 *
 * @param promptId        prompt id
 * @param label           the label
 * @param version         the version it points at now
 * @param previousVersion the version it pointed at before (absent for a new label)
 */
public record LabelView(String promptId, String label, int version, Integer previousVersion) {}
