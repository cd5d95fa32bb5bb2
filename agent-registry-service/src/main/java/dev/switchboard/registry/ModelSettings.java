package dev.switchboard.registry;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Per-agent model settings; {@code null} components fall back to the supervisor's configured model.
 *
 * @param name        model name, e.g. {@code gpt-4o-mini}
 * @param temperature sampling temperature, 0..2
 * @param maxTokens   most output tokens, positive
 */
public record ModelSettings(
        @Size(max = 128) String name,
        @DecimalMin("0.0") @DecimalMax("2.0") Double temperature,
        @Positive Integer maxTokens) {}
