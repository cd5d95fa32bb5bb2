package dev.switchboard.prompts.rest;

/**
 * Response of {@code POST /prompts/{id}/render}.
 *
 * @param id      prompt id
 * @param version version rendered
 * @param content rendered text
 */
public record RenderView(String id, int version, String content) {}
