package dev.switchboard.prompts;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.template.PromptTemplate;
import dev.switchboard.common.template.TemplateSyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * This service's use of the shared {@link PromptTemplate} rules: their errors as this service's problems
 * ({@code invalid-template}, {@code missing-variables}).
 */
public final class PromptTemplates {

    private PromptTemplates() {}

    /**
     * Compiles {@code content}.
     *
     * @throws InvalidTemplateException listing every malformed placeholder (field {@code content})
     */
    public static PromptTemplate parse(String content) {
        try {
            return PromptTemplate.parse(content);
        } catch (TemplateSyntaxException e) {
            throw new InvalidTemplateException(e.errors().stream()
                    .map(message -> new Problem.FieldError("content", message))
                    .toList());
        }
    }

    /**
     * Compiles {@code content} and checks that {@code declared} names exactly the placeholders it uses.
     *
     * @param declared the declared variables, or {@code null} to accept whatever the content uses
     * @throws InvalidTemplateException on malformed placeholders (field {@code content}), or on invalid declared
     *                                  names, placeholders not declared or declared variables the content never uses
     *                                  (field {@code variables})
     */
    public static PromptTemplate parseDeclared(String content, Collection<String> declared) {
        PromptTemplate template = parse(content);
        if (declared == null) {
            return template;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        template.declarationErrors(declared)
                .forEach(message -> errors.add(new Problem.FieldError("variables", message)));
        if (!errors.isEmpty()) {
            throw new InvalidTemplateException(errors);
        }
        return template;
    }

    /**
     * Renders strictly: every placeholder must have a value.
     *
     * @return the rendered text
     * @throws MissingVariablesException naming each variable without a value
     */
    public static String renderStrict(PromptTemplate template, Map<String, ?> values) {
        try {
            return template.renderStrict(values);
        } catch (dev.switchboard.common.template.MissingVariablesException e) {
            throw new MissingVariablesException(e.missing());
        }
    }
}
