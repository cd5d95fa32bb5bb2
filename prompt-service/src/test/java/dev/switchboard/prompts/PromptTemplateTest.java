package dev.switchboard.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.problem.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void rendersPlaceholdersWithAndWithoutWhitespace() {
        PromptTemplate template = PromptTemplate.parse("Hi {{name}}, welcome to {{ business }}!{{\tday\t}}");

        assertEquals(List.of("name", "business", "day"), template.variables());
        assertEquals("Hi Ann, welcome to Acme! Monday",
                template.renderStrict(Map.of("name", "Ann", "business", "Acme", "day", " Monday")));
    }

    @Test
    void repeatedVariableIsListedOnceAndReplacedEverywhere() {
        PromptTemplate template = PromptTemplate.parse("{{x}} and {{ x }} and {{x}}");

        assertEquals(List.of("x"), template.variables());
        assertEquals("1 and 1 and 1", template.renderStrict(Map.of("x", "1")));
    }

    @Test
    void missingVariableIsAnErrorNamingEachOneNeverABlank() {
        PromptTemplate template = PromptTemplate.parse("{{a}} {{b}} {{c}}");

        MissingVariablesException e = assertThrows(MissingVariablesException.class,
                () -> template.renderStrict(Map.of("b", "B")));

        assertEquals(List.of("a", "c"), e.missing());
        assertEquals(400, e.status());
        assertEquals("https://switchboard.dev/problems/missing-variables", e.type());
        assertEquals(List.of("a", "c"), e.errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void lenientRenderKeepsMissingPlaceholdersAndReportsUnused() {
        Map<String, String> values = new HashMap<>();
        values.put("b", "B");
        values.put("zeta", "unused");
        values.put("alpha", "unused");
        values.put("a", null);

        PromptTemplate.Rendering rendering = PromptTemplate.parse("{{ a }}-{{b}}").render(values);

        assertEquals("{{a}}-B", rendering.text());
        assertEquals(List.of("a"), rendering.missing());
        assertEquals(List.of("alpha", "zeta"), rendering.unused());
        assertFalse(rendering.complete());
    }

    @Test
    void contentWithoutPlaceholdersRendersUnchanged() {
        PromptTemplate template = PromptTemplate.parse("Plain text with a } and a lone }} brace.");

        assertTrue(template.variables().isEmpty());
        PromptTemplate.Rendering rendering = template.render(Map.of("extra", "x"));
        assertEquals("Plain text with a } and a lone }} brace.", rendering.text());
        assertTrue(rendering.complete());
        assertEquals(List.of("extra"), rendering.unused());
    }

    @Test
    void valuesAreNotExpandedAgain() {
        assertEquals("{{b}} b", PromptTemplate.parse("{{a}} {{b}}").renderStrict(Map.of("a", "{{b}}", "b", "b")));
    }

    @Test
    void rejectsUnclosedAndInvalidPlaceholders() {
        InvalidTemplateException unclosed = assertThrows(InvalidTemplateException.class,
                () -> PromptTemplate.parse("line one\nHello {{name"));
        assertEquals(400, unclosed.status());
        assertEquals("https://switchboard.dev/problems/invalid-template", unclosed.type());
        assertTrue(unclosed.errors().get(0).message().contains("line 2, column 7"), unclosed.getMessage());

        assertThrows(InvalidTemplateException.class, () -> PromptTemplate.parse("{{}}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplate.parse("{{ two words }}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplate.parse("{{1abc}}"));
        assertThrows(InvalidTemplateException.class, () -> PromptTemplate.parse("{{{name}}}"));
    }

    @Test
    void declaredVariablesMustMatchPlaceholders() {
        assertEquals(List.of("a", "b"), PromptTemplate.parseDeclared("{{a}}{{b}}", List.of("b", "a")).variables());
        assertEquals(List.of("a"), PromptTemplate.parseDeclared("{{a}}", null).variables());

        InvalidTemplateException undeclared = assertThrows(InvalidTemplateException.class,
                () -> PromptTemplate.parseDeclared("{{a}} {{b}}", List.of("a")));
        assertEquals(List.of("variables"), undeclared.errors().stream().map(Problem.FieldError::field).toList());
        assertTrue(undeclared.getMessage().contains("'{{b}}'"), undeclared.getMessage());

        InvalidTemplateException unused = assertThrows(InvalidTemplateException.class,
                () -> PromptTemplate.parseDeclared("{{a}}", List.of("a", "ghost")));
        assertTrue(unused.getMessage().contains("'ghost' is declared but not used"), unused.getMessage());
    }

    @Test
    void estimatesAboutFourCharactersPerToken() {
        assertEquals(0, PromptTemplate.estimateTokens(""));
        assertEquals(1, PromptTemplate.estimateTokens("abc"));
        assertEquals(2, PromptTemplate.estimateTokens("abcdefgh"));
        assertEquals(3, PromptTemplate.estimateTokens("abcdefghi"));
        assertEquals(3, PromptTemplate.parse("{{x}}").render(Map.of("x", "abcdefghi")).tokenEstimate());
    }
}
