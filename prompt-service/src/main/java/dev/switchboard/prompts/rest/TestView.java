package dev.switchboard.prompts.rest;

import dev.switchboard.common.template.PromptTemplate;
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
public record TestView(
        String rendered,
        List<String> missingVariables,
        List<String> unusedVariables,
        boolean valid,
        int tokenEstimate) {

    /** @return the view of a lenient render */
    public static TestView of(PromptTemplate.Rendering rendering) {
        return new TestView(
                rendering.text(),
                rendering.missing(),
                rendering.unused(),
                rendering.complete(),
                estimateTokens(rendering.text()));
    }

    /** @return a rough token count for {@code text}: about one token per four characters, rounded up */
    public static int estimateTokens(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }
}
