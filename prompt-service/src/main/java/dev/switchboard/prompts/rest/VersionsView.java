package dev.switchboard.prompts.rest;

import java.util.List;
import java.util.Map;

/**
 * Response of {@code GET /admin/prompts/{id}/versions}.
 *
 * @param promptId prompt id
 * @param versions every version, newest first
 * @param labels   label name to version number
 * @param count    how many versions
 */
public record VersionsView(String promptId, List<VersionView> versions, Map<String, Integer> labels, int count) {}
