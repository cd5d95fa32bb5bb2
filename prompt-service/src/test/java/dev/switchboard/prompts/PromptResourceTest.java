package dev.switchboard.prompts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class PromptResourceTest {

    private static final String PREFIX = "t-read-";

    @Test
    void servesSeededPromptsByProductionLabel() {
        for (String id : new String[] {
            "calendar-checker-system",
            "appointment-booking-system",
            "lead-qualification-system",
            "general-assistant-system"
        }) {
            given().when()
                    .get("/prompts/" + id)
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(id))
                    .body("type", equalTo("agent"))
                    .body("label", equalTo("production"))
                    .body("is_active", equalTo(true))
                    .body("variables", hasItems("business_name", "current_date", "timezone"))
                    .body("content", containsString("{{business_name}}"));
        }
        given().when()
                .get("/prompts/router-intent-classification?label=production")
                .then()
                .statusCode(200)
                .body("type", equalTo("router"))
                .body("variables", hasItems("message", "agents"))
                .body("content", containsString("general_assistant_agent"))
                .body("model_config.temperature", equalTo(0));
    }

    @Test
    void rendersSeededPromptWithVariables() {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "variables",
                        Map.of(
                                "agent_name",
                                "calendar_checker_agent",
                                "business_name",
                                "Acme Dental",
                                "current_date",
                                "2026-11-21",
                                "timezone",
                                "Europe/Paris")))
                .when()
                .post("/prompts/calendar-checker-system/render")
                .then()
                .statusCode(200)
                .body("id", equalTo("calendar-checker-system"))
                .body("content", containsString("calendar assistant of Acme Dental"))
                .body("content", containsString("Europe/Paris"))
                .body("content", not(containsString("{{")));
    }

    @Test
    void renderWithMissingVariablesIsA400ProblemNamingEachOne() {
        given().contentType(ContentType.JSON)
                .body(Map.of("variables", Map.of("agent_name", "a", "timezone", "UTC")))
                .when()
                .post("/prompts/calendar-checker-system/render")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/missing-variables"))
                .body("status", equalTo(400))
                .body("errors.field", hasItems("business_name", "current_date"))
                .body("errors.field", not(hasItems("timezone")))
                .body("detail", containsString("business_name"));
    }

    @Test
    void unknownPromptLabelAndVersionAre404Problems() {
        given().when()
                .get("/prompts/" + TestPrompts.uniqueId(PREFIX) + "missing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/prompt-not-found"));
        given().when()
                .get("/prompts/general-assistant-system?label=no-such-label")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/label-not-found"));
        given().when()
                .get("/prompts/general-assistant-system?version=99999")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/version-not-found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("variables", Map.of()))
                .when()
                .post("/prompts/" + TestPrompts.uniqueId(PREFIX) + "/render")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/prompt-not-found"));
    }

    @Test
    void servesByVersionNumberAndLatest() {
        given().when()
                .get("/prompts/general-assistant-system?version=1")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("label", nullValue());
        given().when()
                .get("/prompts/general-assistant-system?label=latest")
                .then()
                .statusCode(200)
                .body("label", equalTo("latest"));
    }

    @Test
    void badIdOrQueryIsA400Problem() {
        given().when()
                .get("/prompts/bad%20id!")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"));
        given().when()
                .get("/prompts/general-assistant-system?version=abc")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("version"));
        given().when()
                .get("/prompts/general-assistant-system?version=1&label=production")
                .then()
                .statusCode(400);
    }
}
