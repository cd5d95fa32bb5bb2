package dev.switchboard.prompts.rest;

import java.util.List;

/**
 * Response of {@code GET /admin/prompts/types}.
 *
 * @param types the valid prompt types
 */
public record TypesView(List<String> types) {}
