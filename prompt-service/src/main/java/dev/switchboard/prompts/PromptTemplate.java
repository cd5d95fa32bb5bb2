package dev.switchboard.prompts;

import dev.switchboard.common.problem.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed prompt template: literal text with {@code {{variable}}} placeholders (whitespace inside the
 * braces allowed, e.g. {@code {{ name }}}). Pure and immutable; no framework code.
 *
 * <p>Syntax: every <code>{{</code> must be closed by <code>}}</code> and enclose a name matching
 * {@code [A-Za-z_][A-Za-z0-9_]*}. A lone <code>}}</code> is literal text. Values are inserted verbatim
 * in a single pass, so a value that itself contains {@code {{x}}} is never expanded again.
 */
public final class PromptTemplate {

    /** Names a placeholder may use. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private final String content;
    private final List<Segment> segments;
    private final List<String> variables;

    private PromptTemplate(String content, List<Segment> segments, List<String> variables) {
        this.content = content;
        this.segments = segments;
        this.variables = variables;
    }

    /**
     * Parses {@code content}.
     *
     * @throws InvalidTemplateException listing every malformed placeholder (field {@code content})
     */
    public static PromptTemplate parse(String content) {
        String text = content == null ? "" : content;
        List<Segment> segments = new ArrayList<>();
        Set<String> variables = new LinkedHashSet<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int open = text.indexOf(OPEN, pos);
            if (open < 0) {
                segments.add(new Segment(text.substring(pos), false));
                break;
            }
            if (open > pos) {
                segments.add(new Segment(text.substring(pos, open), false));
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                errors.add(new Problem.FieldError("content", "unclosed '{{' at " + location(text, open)));
                break;
            }
            String inner = text.substring(open + OPEN.length(), close);
            String name = inner.strip();
            if (inner.contains(OPEN) || !VARIABLE_NAME.matcher(name).matches()) {
                errors.add(new Problem.FieldError("content", "invalid placeholder '{{" + inner + "}}' at "
                        + location(text, open) + " (expected {{name}} with name matching [A-Za-z_][A-Za-z0-9_]*)"));
            } else {
                segments.add(new Segment(name, true));
                variables.add(name);
            }
            pos = close + CLOSE.length();
        }
        if (!errors.isEmpty()) {
            throw new InvalidTemplateException(errors);
        }
        return new PromptTemplate(text, List.copyOf(segments), List.copyOf(variables));
    }

    /**
     * Parses {@code content} and checks that {@code declared} names exactly the placeholders it uses.
     *
     * @param declared the declared variables, or {@code null} to accept whatever the content uses
     * @throws InvalidTemplateException on malformed placeholders, invalid declared names, placeholders
     *                                  not declared, or declared variables the content never uses
     */
    public static PromptTemplate parseDeclared(String content, Collection<String> declared) {
        PromptTemplate template = parse(content);
        if (declared == null) {
            return template;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String name : declared) {
            if (name == null || !VARIABLE_NAME.matcher(name).matches()) {
                errors.add(new Problem.FieldError("variables", "'" + name + "' is not a valid variable name"));
            } else if (!template.variables.contains(name)) {
                errors.add(new Problem.FieldError("variables", "'" + name + "' is declared but not used in content"));
            }
        }
        for (String name : template.variables) {
            if (!declared.contains(name)) {
                errors.add(new Problem.FieldError("variables",
                        "placeholder '{{" + name + "}}' is used in content but not declared"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidTemplateException(errors);
        }
        return template;
    }

    /** @return the raw template text */
    public String content() {
        return content;
    }

    /** @return distinct placeholder names in order of first appearance */
    public List<String> variables() {
        return variables;
    }

    /**
     * Renders leniently: each placeholder with a (non-null) value is replaced; a placeholder without one
     * is left as written ({@code {{name}}}, never blanked) and reported as missing.
     *
     * @param values variable values; {@code null} values count as missing
     * @return the text, missing variables (order of first appearance) and unused supplied names (sorted)
     */
    public Rendering render(Map<String, ?> values) {
        Map<String, ?> supplied = values == null ? Map.of() : values;
        StringBuilder out = new StringBuilder(content.length() + 64);
        Set<String> missing = new LinkedHashSet<>();
        for (Segment segment : segments) {
            if (!segment.variable()) {
                out.append(segment.text());
                continue;
            }
            Object value = supplied.get(segment.text());
            if (value == null) {
                missing.add(segment.text());
                out.append(OPEN).append(segment.text()).append(CLOSE);
            } else {
                out.append(value);
            }
        }
        List<String> unused = supplied.keySet().stream().filter(k -> !variables.contains(k)).sorted().toList();
        String text = out.toString();
        return new Rendering(text, List.copyOf(missing), unused, estimateTokens(text));
    }

    /**
     * Renders strictly: every placeholder must have a value.
     *
     * @return the rendered text
     * @throws MissingVariablesException naming each variable without a value
     */
    public String renderStrict(Map<String, ?> values) {
        Rendering rendering = render(values);
        if (!rendering.missing().isEmpty()) {
            throw new MissingVariablesException(rendering.missing());
        }
        return rendering.text();
    }

    /** @return a rough token count for {@code text}: about one token per four characters, rounded up */
    public static int estimateTokens(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }

    private static String location(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }

    /**
     * The result of a lenient render.
     *
     * @param text          rendered text; missing placeholders kept as {@code {{name}}}
     * @param missing       placeholders without a value
     * @param unused        supplied names the template does not use
     * @param tokenEstimate {@link #estimateTokens(String)} of {@code text}
     */
    public record Rendering(String text, List<String> missing, List<String> unused, int tokenEstimate) {

        /** @return true when every placeholder had a value */
        public boolean complete() {
            return missing.isEmpty();
        }
    }

    private record Segment(String text, boolean variable) {
    }
}
