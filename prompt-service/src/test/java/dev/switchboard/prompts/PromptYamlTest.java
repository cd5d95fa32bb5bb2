package dev.switchboard.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.prompts.service.InvalidPromptFileException;
import dev.switchboard.prompts.service.PromptImporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the prompt YAML format and the bundled prompt files. */
class PromptYamlTest {

    private static final Set<String> AGENT_VARIABLES =
            Set.of("agent_name", "business_name", "current_date", "timezone");

    private static InputStream yaml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesThePromptYamlFormat() throws IOException {
        List<PromptDefinition> defs = PromptImporter.parse(yaml("""
                - id: my-custom-prompt-v1
                  name: My Custom Prompt
                  type: agent
                  version: "1.0.0"
                  content: |
                    Your prompt content here with {{variable_name}}.
                  variables:
                    - variable_name
                  is_active: true
                  is_default: false
                """));

        assertEquals(1, defs.size());
        PromptDefinition def = defs.get(0);
        assertEquals("my-custom-prompt-v1", def.id());
        assertEquals("1.0.0", def.semver());
        assertEquals(List.of("variable_name"), def.variables());
        assertTrue(def.active());
        assertFalse(def.isDefault());
    }

    @Test
    void rejectsUnknownType() {
        assertThrows(InvalidPromptFileException.class, () -> PromptImporter.parse(yaml("""
                - id: x
                  type: poem
                  content: hi
                """)));
    }

    @Test
    void refusesTextPostgresCannotStoreNamingTheField() {
        InvalidPromptFileException nul =
                assertThrows(InvalidPromptFileException.class, () -> PromptImporter.parse(yaml("""
                - id: x
                  type: utility
                  content: "hi\\0there"
                """)));
        assertTrue(
                nul.getMessage().contains("content holds a character that cannot be stored (U+0000"), nul.getMessage());
        InvalidPromptFileException key =
                assertThrows(InvalidPromptFileException.class, () -> PromptImporter.parse(yaml("""
                - id: x
                  type: utility
                  content: hi
                  model_config:
                    a:
                      "b\\0": 1
                """)));
        assertTrue(key.getMessage().contains("model_config.a."), key.getMessage());
    }

    @Test
    void readsANumericVersionAsText() throws IOException {
        // YAML has no quoting discipline: an unquoted 1.0 is a number, and the version is still text
        assertEquals("1.0", PromptImporter.parse(yaml("""
                - id: x
                  type: utility
                  version: 1.0
                  content: hi
                """)).get(0).semver());
    }

    @Test
    void bundledSeedPromptsAreValidAndUseOnlyAllowedVariables() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        List<PromptDefinition> agents = PromptImporter.parse(loader.getResourceAsStream("prompts/agent_prompts.yaml"));
        assertEquals(
                List.of(
                        "calendar-checker-system",
                        "appointment-booking-system",
                        "lead-qualification-system",
                        "general-assistant-system"),
                agents.stream().map(PromptDefinition::id).toList());
        for (PromptDefinition def : agents) {
            var template = PromptTemplates.parseDeclared(def.content(), def.variables());
            assertEquals("agent", def.type());
            assertEquals("1.0.0", def.semver());
            assertTrue(AGENT_VARIABLES.containsAll(template.variables()), def.id());
            assertTrue(
                    template.variables().containsAll(List.of("business_name", "current_date", "timezone")), def.id());
        }
        assertTrue(agents.get(0).content().contains("check_availability"));
        assertTrue(agents.get(1).content().contains("book_appointment"));

        List<PromptDefinition> routers =
                PromptImporter.parse(loader.getResourceAsStream("prompts/router_prompts.yaml"));
        assertEquals(1, routers.size());
        PromptDefinition router = routers.get(0);
        assertEquals("router-intent-classification", router.id());
        assertEquals("router", router.type());
        assertEquals(
                List.of("agents", "message"),
                PromptTemplates.parseDeclared(router.content(), router.variables())
                        .variables());
        assertTrue(router.content().contains("general_assistant_agent"));
    }
}
