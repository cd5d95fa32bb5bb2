package dev.switchboard.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.template.PromptTemplate;
import dev.switchboard.common.test.TemplateCorpus;
import dev.switchboard.common.test.TemplateCorpus.Case;
import dev.switchboard.prompts.rest.TestView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plain JUnit: the template rules as this service applies them, with their problem types. */
class PromptTemplatesTest {

    static Stream<Case> corpus() {
        return TemplateCorpus.cases().stream();
    }

    /** What a write accepts is what a render renders: the shared corpus through this service's entry points. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validatesAndRendersTheSharedCorpus(Case c) {
        switch (c.outcome()) {
            case RENDERS ->
                assertEquals(
                        c.expected(),
                        PromptTemplates.renderStrict(
                                PromptTemplates.parseDeclared(c.template(), c.variables()), c.values()));
            case MISSING -> {
                PromptTemplate template = PromptTemplates.parseDeclared(c.template(), c.variables());
                assertEquals(
                        c.missing(),
                        assertThrows(
                                        MissingVariablesException.class,
                                        () -> PromptTemplates.renderStrict(template, c.values()))
                                .missing());
                assertEquals(c.expected(), template.render(c.values()).text());
            }
            case INVALID -> {
                InvalidTemplateException e = assertThrows(
                        InvalidTemplateException.class, () -> PromptTemplates.parseDeclared(c.template(), null));
                assertEquals(c.errors(), e.errors().size());
                assertTrue(e.errors().stream().allMatch(error -> error.field().equals("content")));
                assertTrue(e.errors().get(0).message().contains(c.expected()), e.getMessage());
            }
        }
    }

    @Test
    void rendersPlaceholdersWithAndWithoutWhitespace() {
        PromptTemplate template = PromptTemplates.parse("Hi {{name}}, welcome to {{ business }}!{{\tday\t}}");

        assertEquals(List.of("name", "business", "day"), template.variables());
        assertEquals(
                "Hi Ann, welcome to Acme! Monday",
                PromptTemplates.renderStrict(template, Map.of("name", "Ann", "business", "Acme", "day", " Monday")));
    }

    @Test
    void missingVariableIsAnErrorNamingEachOneNeverABlank() {
        PromptTemplate template = PromptTemplates.parse("{{a}} {{b}} {{c}}");

        MissingVariablesException e = assertThrows(
                MissingVariablesException.class, () -> PromptTemplates.renderStrict(template, Map.of("b", "B")));

        assertEquals(List.of("a", "c"), e.missing());
        assertEquals(400, e.status());
        assertEquals("https://switchboard.dev/problems/missing-variables", e.type());
        assertEquals(
                List.of("a", "c"),
                e.errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void lenientRenderKeepsMissingPlaceholdersAndReportsUnused() {
        Map<String, String> values = new HashMap<>();
        values.put("b", "B");
        values.put("zeta", "unused");
        values.put("alpha", "unused");
        values.put("a", null);

        TestView view = TestView.of(PromptTemplates.parse("{{ a }}-{{b}}").render(values));

        assertEquals("{{a}}-B", view.rendered());
        assertEquals(List.of("a"), view.missingVariables());
        assertEquals(List.of("alpha", "zeta"), view.unusedVariables());
        assertFalse(view.valid());
    }

    @Test
    void rejectsUnclosedAndInvalidPlaceholders() {
        InvalidTemplateException unclosed =
                assertThrows(InvalidTemplateException.class, () -> PromptTemplates.parse("line one\nHello {{name"));
        assertEquals(400, unclosed.status());
        assertEquals("https://switchboard.dev/problems/invalid-template", unclosed.type());
        assertTrue(unclosed.errors().get(0).message().contains("line 2, column 7"), unclosed.getMessage());

        assertThrows(InvalidTemplateException.class, () -> PromptTemplates.parse("{{}}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplates.parse("{{ two words }}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplates.parse("{{1abc}}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplates.parse("{{{name}}}"));
    }

    @Test
    void declaredVariablesMustMatchPlaceholders() {
        assertEquals(
                List.of("a", "b"),
                PromptTemplates.parseDeclared("{{a}}{{b}}", List.of("b", "a")).variables());
        assertEquals(List.of("a"), PromptTemplates.parseDeclared("{{a}}", null).variables());

        InvalidTemplateException undeclared = assertThrows(
                InvalidTemplateException.class, () -> PromptTemplates.parseDeclared("{{a}} {{b}}", List.of("a")));
        assertEquals(
                List.of("variables"),
                undeclared.errors().stream().map(Problem.FieldError::field).toList());
        assertTrue(undeclared.getMessage().contains("'{{b}}'"), undeclared.getMessage());

        InvalidTemplateException unused = assertThrows(
                InvalidTemplateException.class, () -> PromptTemplates.parseDeclared("{{a}}", List.of("a", "ghost")));
        assertTrue(unused.getMessage().contains("'ghost' is declared but not used"), unused.getMessage());
    }

    @Test
    void estimatesAboutFourCharactersPerToken() {
        assertEquals(0, TestView.estimateTokens(""));
        assertEquals(1, TestView.estimateTokens("abc"));
        assertEquals(2, TestView.estimateTokens("abcdefgh"));
        assertEquals(3, TestView.estimateTokens("abcdefghi"));
        assertEquals(
                3,
                TestView.of(PromptTemplates.parse("{{x}}").render(Map.of("x", "abcdefghi")))
                        .tokenEstimate());
    }
}
