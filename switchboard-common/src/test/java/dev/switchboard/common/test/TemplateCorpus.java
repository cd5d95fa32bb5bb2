package dev.switchboard.common.test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Templates with the outcome the {@code {{variable}}} rules give each one: the rendered text, the missing variables,
 * or the syntax error. Whatever validates templates (prompt-service, when a prompt is written) and whatever renders
 * them (prompt-service's render endpoint, the supervisor's system prompts) can run the same cases, so a template one
 * accepts is one the other renders, and to the same text.
 */
public final class TemplateCorpus {

    private TemplateCorpus() {}

    /** What a case expects. */
    public enum Outcome {
        /** Valid, and every variable has a value: {@code expected} is the rendered text. */
        RENDERS,
        /** Valid, but {@code missing} have no value: a strict render refuses; {@code expected} is the lenient text. */
        MISSING,
        /** Not a valid template: {@code expected} is a fragment of the (first) error message. */
        INVALID
    }

    /**
     * One template and its outcome.
     *
     * @param name      what the case shows (its display name)
     * @param template  the template text
     * @param values    the values rendered with (may map a name to {@code null})
     * @param outcome   what must happen
     * @param expected  the rendered text ({@code RENDERS}), the lenient text ({@code MISSING}) or an error fragment
     *                  ({@code INVALID})
     * @param variables the placeholders in order of first appearance (empty for {@code INVALID})
     * @param missing   the variables without a value, in order of first appearance (empty unless {@code MISSING})
     * @param errors    how many syntax errors are reported ({@code INVALID} only, else 0)
     */
    public record Case(
            String name,
            String template,
            Map<String, Object> values,
            Outcome outcome,
            String expected,
            List<String> variables,
            List<String> missing,
            int errors) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = List.of(
            renders("plain text", "Hello, world.", values(), List.of(), "Hello, world."),
            renders("empty template", "", values(), List.of(), ""),
            renders("one variable", "Hi {{name}}!", values("name", "Ann"), List.of("name"), "Hi Ann!"),
            renders("spaces inside the braces", "Hi {{ name }}!", values("name", "Ann"), List.of("name"), "Hi Ann!"),
            renders(
                    "tabs and line breaks inside the braces",
                    "{{\tday\t}}|{{\n name\n}}",
                    values("day", "Mon", "name", "Ann"),
                    List.of("day", "name"),
                    "Mon|Ann"),
            renders(
                    "repeated variable, listed once",
                    "{{x}} and {{ x }} and {{x}}",
                    values("x", "1"),
                    List.of("x"),
                    "1 and 1 and 1"),
            renders("adjacent placeholders", "{{a}}{{b}}", values("a", "A", "b", "B"), List.of("a", "b"), "AB"),
            renders(
                    "unknown supplied variables are ignored",
                    "Hi {{name}}",
                    values("name", "Ann", "extra", "x"),
                    List.of("name"),
                    "Hi Ann"),
            renders(
                    "underscores and digits in names",
                    "{{_x}} {{snake_case_2}}",
                    values("_x", "1", "snake_case_2", "2"),
                    List.of("_x", "snake_case_2"),
                    "1 2"),
            renders(
                    "single braces are text",
                    "JSON: {\"k\": {a}} { b }",
                    values(),
                    List.of(),
                    "JSON: {\"k\": {a}} { b }"),
            renders("a lone closing pair is text", "a }} b", values(), List.of(), "a }} b"),
            renders("a third closing brace is text", "{{a}}}", values("a", "A"), List.of("a"), "A}"),
            renders("backslash is no escape", "\\{{name}}", values("name", "X"), List.of("name"), "\\X"),
            renders(
                    "values are not expanded again",
                    "{{a}} {{b}}",
                    values("a", "{{b}}", "b", "b"),
                    List.of("a", "b"),
                    "{{b}} b"),
            renders(
                    "values are inserted verbatim",
                    "[{{v}}]",
                    values("v", "$1 \\n \\\\ {{ }}"),
                    List.of("v"),
                    "[$1 \\n \\\\ {{ }}]"),
            renders(
                    "non-text values as String.valueOf",
                    "{{n}} {{b}}",
                    values("n", 42, "b", true),
                    List.of("n", "b"),
                    "42 true"),
            renders(
                    "unicode text passes unchanged",
                    "Grüße, {{name}} 👋 — 日本語",
                    values("name", "Zoë 🎉"),
                    List.of("name"),
                    "Grüße, Zoë 🎉 👋 — 日本語"),
            renders("CRLF line ends pass unchanged", "a\r\n{{x}}\r\n", values("x", "X"), List.of("x"), "a\r\nX\r\n"),
            missing(
                    "missing variables are named in order",
                    "{{a}} {{b}} {{c}}",
                    values("b", "B"),
                    List.of("a", "b", "c"),
                    List.of("a", "c"),
                    "{{a}} B {{c}}"),
            missing(
                    "a null value counts as missing",
                    "{{ a }}-{{b}}",
                    values("a", null, "b", "B"),
                    List.of("a", "b"),
                    List.of("a"),
                    "{{a}}-B"),
            missing(
                    "names are case-sensitive",
                    "Hi {{Name}}",
                    values("name", "Ann"),
                    List.of("Name"),
                    List.of("Name"),
                    "Hi {{Name}}"),
            missing("no values at all", "{{x}}{{x}}", values(), List.of("x"), List.of("x"), "{{x}}{{x}}"),
            invalid("unterminated placeholder", "Hello {{name", "unclosed '{{' at line 1, column 7", 1),
            invalid("unterminated on a later line", "line one\nHello {{name", "line 2, column 7", 1),
            invalid("columns count code points", "👋 {{x", "line 1, column 3", 1),
            invalid("empty placeholder", "{{}}", "invalid placeholder '{{}}' at line 1, column 1", 1),
            invalid("blank placeholder", "{{ }}", "invalid placeholder", 1),
            invalid("triple braces", "{{{name}}}", "invalid placeholder '{{{name}}'", 1),
            invalid("nested placeholder", "{{a {{b}}", "invalid placeholder '{{a {{b}}'", 1),
            invalid("two words", "{{ two words }}", "invalid placeholder", 1),
            invalid("leading digit", "{{1abc}}", "invalid placeholder", 1),
            invalid("hyphen", "{{a-b}}", "invalid placeholder", 1),
            invalid("non-ASCII name", "{{café}}", "invalid placeholder", 1),
            invalid("every error is reported", "{{}} and {{ok}} and {{x", "invalid placeholder '{{}}'", 2));

    /** @return every case, in a fixed order */
    public static List<Case> cases() {
        return CASES;
    }

    /** @return the cases with the given outcome */
    public static List<Case> cases(Outcome outcome) {
        return CASES.stream().filter(c -> c.outcome() == outcome).toList();
    }

    private static Case renders(
            String name, String template, Map<String, Object> values, List<String> variables, String text) {
        return new Case(name, template, values, Outcome.RENDERS, text, variables, List.of(), 0);
    }

    private static Case missing(
            String name,
            String template,
            Map<String, Object> values,
            List<String> variables,
            List<String> missing,
            String lenientText) {
        return new Case(name, template, values, Outcome.MISSING, lenientText, variables, missing, 0);
    }

    private static Case invalid(String name, String template, String errorFragment, int errors) {
        return new Case(name, template, values(), Outcome.INVALID, errorFragment, List.of(), List.of(), errors);
    }

    /** Name/value pairs into an unmodifiable map that may hold {@code null} values. */
    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
