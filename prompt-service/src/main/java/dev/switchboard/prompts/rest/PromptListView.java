package dev.switchboard.prompts.rest;

import java.util.List;

/**
 * Response of {@code GET /admin/prompts}.
 *
 * @param prompts prompts sorted by id
 * @param count   how many
 */
public record PromptListView(List<AdminPromptView> prompts, int count) {}
