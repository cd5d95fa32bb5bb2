package dev.switchboard.prompts;

/**
 * The result of pointing a label at a version.
 *
 * @param promptId        the prompt
 * @param label           the label
 * @param version         the version it now points at
 * @param previousVersion the version it pointed at before, or {@code null} for a new label
 */
public record LabelMove(String promptId, String label, int version, Integer previousVersion) {}
