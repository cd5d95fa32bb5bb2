package dev.switchboard.prompts;

/**
 * A prompt resolved to one version through a label or a version number.
 *
 * @param prompt  the prompt row
 * @param version the chosen version
 * @param label   the label used, or {@code null} when asked by version number
 */
public record ResolvedPrompt(Prompt prompt, PromptVersion version, String label) {}
