package dev.switchboard.supervisor.peers;

import java.util.List;
import java.util.Map;

/**
 * prompt-service {@code GET /prompts/{id}} body.
 *
 * @param id          prompt id, e.g. {@code calendar-checker-system}
 * @param name        display name
 * @param type        agent, router, rag or utility
 * @param version     version number
 * @param label       the label resolved, e.g. production
 * @param content     template text with {@code {{variable}}} placeholders
 * @param variables   the variables the template uses
 * @param modelConfig free-form model settings
 * @param isActive    whether the prompt is active
 */
public record Prompt(
        String id,
        String name,
        String type,
        Integer version,
        String label,
        String content,
        List<String> variables,
        Map<String, Object> modelConfig,
        Boolean isActive) {}
