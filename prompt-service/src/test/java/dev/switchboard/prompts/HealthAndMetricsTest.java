package dev.switchboard.prompts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.switchboard.common.test.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
class HealthAndMetricsTest {

    @Test
    void readinessIsQuarkusRedisAndPostgresChecks() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"));
    }

    @Test
    void exposesOpenApiAndPrometheusMetrics() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("/admin/prompts/{id}/labels/{label}"));
        given().contentType("application/json")
                .body("{\"variables\":{}}")
                .when()
                .post("/prompts/general-assistant-system/render")
                .then()
                .statusCode(400);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("prompts_renders_total{outcome=\"missing_variables\""));
    }
}
