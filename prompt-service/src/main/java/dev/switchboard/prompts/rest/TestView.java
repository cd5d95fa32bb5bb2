package dev.switchboard.prompts.rest;

import java.util.List;

/**
 * Response of {@code POST /admin/prompts/{id}/test}.
 *
 * @param rendered         rendered text; placeholders without a value are left as {@code {{name}}}
 * @param missingVariables placeholders without a value
 * @param unusedVariables  supplied names the template does not use
 * @param valid            true when nothing is missing
 * @param tokenEstimate    about characters / 4 of the rendered text
 */
public record TestView(String rendered, List<String> missingVariables, List<String> unusedVariables, boolean valid,
        int tokenEstimate) {
}
