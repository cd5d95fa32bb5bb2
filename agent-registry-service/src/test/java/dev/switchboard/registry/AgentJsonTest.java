package dev.switchboard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.switchboard.common.json.JacksonCustomizer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The agent object keeps the contract's snake_case field names (the supervisor is built against them). */
class AgentJsonTest {

    private static ObjectMapper houseMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        new JacksonCustomizer().customize(mapper);
        return mapper;
    }

    @Test
    void serialisesTheContractFields() throws Exception {
        Agent agent = new Agent(
                "calendar_checker_agent",
                "Checks calendar availability and events",
                List.of("calendar", "availability_check"),
                "1.0.0",
                "active",
                "llm",
                "calendar-checker-system",
                new ModelSettings(null, 0.2, 512),
                List.of("check_availability"),
                null,
                List.of("am I free?"),
                Map.of(),
                false,
                4,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"),
                null,
                List.of());
        JsonNode json = houseMapper().readTree(houseMapper().writeValueAsString(agent));

        Set<String> fields = new TreeSet<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(
                new TreeSet<>(Set.of(
                        "name",
                        "description",
                        "capabilities",
                        "version",
                        "status",
                        "kind",
                        "prompt_id",
                        "model",
                        "tools",
                        "examples",
                        "metadata",
                        "is_default",
                        "revision",
                        "created_at",
                        "updated_at",
                        "versions",
                        "stable_weight")),
                fields,
                "nulls (endpoint, last_heartbeat) are omitted");
        assertEquals(512, json.path("model").path("max_tokens").asInt());
        assertEquals("2026-01-01T00:00:00Z", json.path("created_at").asText());

        Agent back = houseMapper().readValue(json.toString(), Agent.class);
        assertEquals(agent, back);
    }

    @Test
    void readsRegistrationBodiesInSnakeCase() throws Exception {
        AgentDefinition def = houseMapper().readValue("""
                {"name":"a1","description":"d","prompt_id":"p","is_default":true,"model":{"max_tokens":10}}
                """, AgentDefinition.class);
        assertEquals("p", def.promptId());
        assertEquals(true, def.isDefault());
        assertEquals(10, def.model().maxTokens());
    }
}
