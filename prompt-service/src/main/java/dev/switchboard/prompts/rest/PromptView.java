package dev.switchboard.prompts.rest;

import dev.switchboard.prompts.ResolvedPrompt;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /prompts/{id}}: one version of a prompt, as the supervisor caches it.
 *
 * @param id          prompt id
 * @param name        human name
 * @param type        agent, router, rag or utility
 * @param version     version number served
 * @param label       label used to find it (absent when asked by version)
 * @param content     template text with {@code {{variable}}} placeholders
 * @param variables   placeholder names
 * @param modelConfig model settings
 * @param isActive    whether the prompt is meant to be used
 */
public record PromptView(
        String id,
        String name,
        String type,
        int version,
        String label,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        boolean isActive) {

    static PromptView of(ResolvedPrompt r) {
        return new PromptView(
                r.prompt().id(),
                r.prompt().name(),
                r.prompt().type(),
                r.version().version(),
                r.label(),
                r.version().content(),
                r.version().variables(),
                r.version().modelConfig(),
                r.prompt().active());
    }
}
