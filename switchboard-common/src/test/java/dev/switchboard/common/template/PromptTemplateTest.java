package dev.switchboard.common.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.TemplateCorpus;
import dev.switchboard.common.test.TemplateCorpus.Case;
import dev.switchboard.common.test.TemplateCorpus.Outcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PromptTemplateTest {

    static Stream<Case> corpus() {
        return TemplateCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rendersTheCorpusAsItSays(Case c) {
        switch (c.outcome()) {
            case RENDERS -> {
                PromptTemplate template = PromptTemplate.parse(c.template());
                assertEquals(c.variables(), template.variables());
                assertEquals(c.expected(), template.renderStrict(c.values()));
                PromptTemplate.Rendering lenient = template.render(c.values());
                assertEquals(c.expected(), lenient.text(), "lenient and strict agree when nothing is missing");
                assertTrue(lenient.complete());
                assertTrue(PromptTemplate.validate(c.template()).isEmpty());
            }
            case MISSING -> {
                PromptTemplate template = PromptTemplate.parse(c.template());
                assertEquals(c.variables(), template.variables());
                MissingVariablesException e =
                        assertThrows(MissingVariablesException.class, () -> template.renderStrict(c.values()));
                assertEquals(c.missing(), e.missing());
                PromptTemplate.Rendering lenient = template.render(c.values());
                assertEquals(c.expected(), lenient.text());
                assertEquals(c.missing(), lenient.missing());
                assertFalse(lenient.complete());
            }
            case INVALID -> {
                TemplateSyntaxException e =
                        assertThrows(TemplateSyntaxException.class, () -> PromptTemplate.parse(c.template()));
                assertEquals(c.errors(), e.errors().size(), e.getMessage());
                assertTrue(e.errors().get(0).contains(c.expected()), e.errors().get(0));
                assertEquals(e.errors(), PromptTemplate.validate(c.template()));
            }
        }
    }

    @Test
    void corpusCoversEveryOutcomeWithDistinctNames() {
        for (Outcome outcome : Outcome.values()) {
            assertFalse(TemplateCorpus.cases(outcome).isEmpty(), outcome.name());
        }
        List<String> names = TemplateCorpus.cases().stream().map(Case::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate case names");
    }

    @Test
    void lenientRenderReportsUnusedNamesSorted() {
        Map<String, Object> values = new HashMap<>();
        values.put("b", "B");
        values.put("zeta", "unused");
        values.put("alpha", "unused");

        PromptTemplate.Rendering rendering = PromptTemplate.parse("{{b}}").render(values);

        assertEquals(List.of("alpha", "zeta"), rendering.unused());
        assertEquals(List.of(), PromptTemplate.parse("{{b}}").render(null).unused());
    }

    @Test
    void nullContentIsAnEmptyTemplateAndNullValuesAnEmptyMap() {
        PromptTemplate empty = PromptTemplate.parse(null);
        assertEquals("", empty.content());
        assertEquals("", empty.renderStrict(null));
        assertEquals(
                List.of("x"),
                assertThrows(
                                MissingVariablesException.class,
                                () -> PromptTemplate.parse("{{x}}").renderStrict(null))
                        .missing());
    }

    @Test
    void declaredVariablesMustMatchThePlaceholders() {
        PromptTemplate template = PromptTemplate.parse("{{a}} {{b}}");

        assertEquals(List.of(), template.declarationErrors(List.of("b", "a")));
        assertEquals(
                List.of(
                        "'ghost' is declared but not used in content",
                        "'not valid' is not a valid variable name",
                        "placeholder '{{b}}' is used in content but not declared"),
                template.declarationErrors(List.of("a", "ghost", "not valid")));
    }

    @Test
    void aCompiledTemplateRendersManyTimesFromManyThreads() {
        PromptTemplate template = PromptTemplate.parse("You are {{agent_name}} for {{business_name}}. Today is "
                + "{{current_date}} ({{timezone}}).\n".repeat(20));
        Map<String, Object> values = Map.of(
                "agent_name", "calendar", "business_name", "Acme", "current_date", "2026-01-01", "timezone", "UTC");
        String once = template.renderStrict(values);

        assertTrue(Stream.generate(() -> values)
                .limit(20_000)
                .parallel()
                .map(template::renderStrict)
                .allMatch(once::equals));
    }
}
