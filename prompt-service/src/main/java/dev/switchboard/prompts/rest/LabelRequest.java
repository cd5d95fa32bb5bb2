package dev.switchboard.prompts.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code POST /admin/prompts/{id}/labels/{label}}.
 *
 * @param version the version the label should point at
 */
public record LabelRequest(@NotNull @Positive Integer version) {}
