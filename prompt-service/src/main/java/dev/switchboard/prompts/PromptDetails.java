package dev.switchboard.prompts;

import java.util.Map;

/**
 * A prompt with its labels and newest version, as the admin API shows it.
 *
 * @param prompt the prompt row
 * @param latest its newest version
 * @param labels label name to version number
 */
public record PromptDetails(Prompt prompt, PromptVersion latest, Map<String, Integer> labels) {}
