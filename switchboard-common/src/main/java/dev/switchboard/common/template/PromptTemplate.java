package dev.switchboard.common.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled {@code {{variable}}} prompt template: parsed once, then rendered any number of times from any thread
 * (immutable; a render walks a prepared list of literal text and variable slots, nothing is parsed again).
 *
 * <p>The rules, the same wherever a prompt is validated or rendered:
 * <ul>
 *   <li>A placeholder is <code>{{</code>, optional whitespace, a name matching {@link #VARIABLE_NAME}
 *       ({@code [A-Za-z_][A-Za-z0-9_]*}, ASCII only), optional whitespace, <code>}}</code>. Whitespace is what
 *       {@link String#strip()} removes (spaces, tabs, line breaks): {@code {{ name }}} and {@code {{name}}} are the
 *       same placeholder.</li>
 *   <li>Every <code>{{</code> opens a placeholder, which the first <code>}}</code> after it closes. So
 *       <code>{{{name}}}</code> (the name would be <code>{name</code>), <code>{{}}</code>, <code>{{two words}}</code>
 *       and <code>{{a {{b}}</code> are errors, and so is a <code>{{</code> that is never closed.</li>
 *   <li>There is no escape: a template cannot hold a literal <code>{{</code> (a backslash is ordinary text). Single
 *       braces and a <code>}}</code> with no <code>{{</code> before it are ordinary text.</li>
 *   <li>Text outside placeholders, any Unicode included, is copied unchanged.</li>
 *   <li>A value is inserted as {@link String#valueOf(Object)} of it, verbatim and in one pass: a value that holds
 *       <code>{{x}}</code> is never expanded again. A {@code null} value counts as missing.</li>
 *   <li>Missing variables: {@link #render} keeps the placeholder in its plain form <code>{{name}}</code> (never a
 *       blank) and reports it; {@link #renderStrict} refuses with {@link MissingVariablesException}.</li>
 *   <li>{@code null} or empty content is an empty template: no variables, renders to {@code ""}.</li>
 * </ul>
 * Errors are reported with a 1-based line (lines end at {@code \n}) and a 1-based column counted in code points.
 */
public final class PromptTemplate {

    /** Names a placeholder may use. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private final String content;
    /** Literal text before each slot; {@code literals[slots.length]} is the text after the last slot. */
    private final String[] literals;
    /** The variable name of each placeholder, in order (repeats included). */
    private final String[] slots;

    private final List<String> variables;
    private final Set<String> variableSet;
    private final int literalLength;

    private PromptTemplate(String content, List<String> literals, List<String> slots) {
        this.content = content;
        this.literals = literals.toArray(String[]::new);
        this.slots = slots.toArray(String[]::new);
        this.variables = List.copyOf(new LinkedHashSet<>(slots));
        this.variableSet = Set.copyOf(variables);
        int length = 0;
        for (String literal : this.literals) {
            length += literal.length();
        }
        this.literalLength = length;
    }

    /**
     * Compiles {@code content}.
     *
     * @param content the template text; {@code null} is taken as empty
     * @return the compiled template
     * @throws TemplateSyntaxException listing every malformed placeholder (with line and column), not just the first
     */
    public static PromptTemplate parse(String content) {
        String text = content == null ? "" : content;
        List<String> literals = new ArrayList<>();
        List<String> slots = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int pos = 0;
        while (true) {
            int open = text.indexOf(OPEN, pos);
            if (open < 0) {
                literal.append(text, pos, text.length());
                break;
            }
            literal.append(text, pos, open);
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                errors.add("unclosed '{{' at " + location(text, open));
                break;
            }
            String inner = text.substring(open + OPEN.length(), close);
            String name = inner.strip();
            if (inner.contains(OPEN) || !VARIABLE_NAME.matcher(name).matches()) {
                errors.add("invalid placeholder '{{" + inner + "}}' at " + location(text, open)
                        + " (expected {{name}} with name matching [A-Za-z_][A-Za-z0-9_]*)");
            } else {
                literals.add(literal.toString());
                literal.setLength(0);
                slots.add(name);
            }
            pos = close + CLOSE.length();
        }
        if (!errors.isEmpty()) {
            throw new TemplateSyntaxException(errors);
        }
        literals.add(literal.toString());
        return new PromptTemplate(text, literals, slots);
    }

    /**
     * Checks {@code content} without keeping the compiled form.
     *
     * @return one message per malformed placeholder (as {@link TemplateSyntaxException#errors()}); empty when valid
     */
    public static List<String> validate(String content) {
        try {
            parse(content);
            return List.of();
        } catch (TemplateSyntaxException e) {
            return e.errors();
        }
    }

    /** @return whether {@code name} may be used as a placeholder name */
    public static boolean isVariableName(String name) {
        return name != null && VARIABLE_NAME.matcher(name).matches();
    }

    /**
     * Compares declared variable names with the placeholders this template uses.
     *
     * @param declared the declared names
     * @return one message per invalid name, per declared name the template never uses and per placeholder not
     *         declared (in that order); empty when they match exactly
     */
    public List<String> declarationErrors(Collection<String> declared) {
        List<String> errors = new ArrayList<>();
        for (String name : declared) {
            if (!isVariableName(name)) {
                errors.add("'" + name + "' is not a valid variable name");
            } else if (!variableSet.contains(name)) {
                errors.add("'" + name + "' is declared but not used in content");
            }
        }
        for (String name : variables) {
            if (!declared.contains(name)) {
                errors.add("placeholder '{{" + name + "}}' is used in content but not declared");
            }
        }
        return errors;
    }

    /** @return the template text as given ({@code ""} for {@code null}) */
    public String content() {
        return content;
    }

    /** @return the distinct placeholder names in order of first appearance */
    public List<String> variables() {
        return variables;
    }

    /**
     * Renders leniently: each placeholder with a non-null value is replaced by it; one without is left as
     * <code>{{name}}</code> and reported as missing.
     *
     * @param values variable values by name; {@code null} is an empty map
     * @return the text, the missing variables (order of first appearance) and the supplied names the template does
     *         not use (sorted)
     */
    public Rendering render(Map<String, ?> values) {
        Map<String, ?> supplied = values == null ? Map.of() : values;
        StringBuilder out = new StringBuilder(literalLength + 16 * slots.length);
        Set<String> missing = null;
        for (int i = 0; i < slots.length; i++) {
            out.append(literals[i]);
            Object value = supplied.get(slots[i]);
            if (value == null) {
                if (missing == null) {
                    missing = new LinkedHashSet<>();
                }
                missing.add(slots[i]);
                out.append(OPEN).append(slots[i]).append(CLOSE);
            } else {
                out.append(value);
            }
        }
        out.append(literals[slots.length]);
        List<String> unused = supplied.isEmpty()
                ? List.of()
                : supplied.keySet().stream()
                        .filter(k -> !variableSet.contains(k))
                        .sorted()
                        .toList();
        return new Rendering(out.toString(), missing == null ? List.of() : List.copyOf(missing), unused);
    }

    /**
     * Renders strictly: every placeholder must have a non-null value. Supplied names the template does not use are
     * ignored.
     *
     * @param values variable values by name; {@code null} is an empty map
     * @return the rendered text
     * @throws MissingVariablesException naming each variable without a value, in order of first appearance
     */
    public String renderStrict(Map<String, ?> values) {
        Map<String, ?> supplied = values == null ? Map.of() : values;
        StringBuilder out = new StringBuilder(literalLength + 16 * slots.length);
        for (int i = 0; i < slots.length; i++) {
            Object value = supplied.get(slots[i]);
            if (value == null) {
                throw new MissingVariablesException(render(supplied).missing());
            }
            out.append(literals[i]).append(value);
        }
        return out.append(literals[slots.length]).toString();
    }

    @Override
    public String toString() {
        return "PromptTemplate" + variables;
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
        return "line " + line + ", column " + (text.codePointCount(lineStart, offset) + 1);
    }

    /**
     * The result of a lenient render.
     *
     * @param text    the rendered text; missing placeholders kept as <code>{{name}}</code>
     * @param missing placeholders without a value, in order of first appearance
     * @param unused  supplied names the template does not use, sorted
     */
    public record Rendering(String text, List<String> missing, List<String> unused) {

        /** @return whether every placeholder had a value */
        public boolean complete() {
            return missing.isEmpty();
        }
    }
}
