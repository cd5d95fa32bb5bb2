package dev.switchboard.common.template;

import java.util.List;

/**
 * A template's text breaks the {@link PromptTemplate} syntax. Unchecked and framework-free: each service maps it to
 * its own problem type where a client sent the template.
 */
public class TemplateSyntaxException extends IllegalArgumentException {

    private final List<String> errors;

    /** @param errors one message per malformed placeholder, each naming its line and column */
    public TemplateSyntaxException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** @return one message per malformed placeholder, in order of appearance */
    public List<String> errors() {
        return errors;
    }
}
