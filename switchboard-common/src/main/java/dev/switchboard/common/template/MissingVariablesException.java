package dev.switchboard.common.template;

import java.util.List;

/**
 * A strict render ({@link PromptTemplate#renderStrict}) lacked a value for some placeholder. Unchecked and
 * framework-free: each service decides what a missing variable means to its callers.
 */
public class MissingVariablesException extends IllegalArgumentException {

    private final List<String> missing;

    /** @param missing the variables without a value, in order of first appearance */
    public MissingVariablesException(List<String> missing) {
        super("No value for template variable(s): " + String.join(", ", missing));
        this.missing = List.copyOf(missing);
    }

    /** @return the variables without a value, in order of first appearance */
    public List<String> missing() {
        return missing;
    }
}
