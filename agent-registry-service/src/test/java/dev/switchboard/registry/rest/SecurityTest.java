package dev.switchboard.registry.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.common.test.DefaultCredentialsCallback;
import dev.switchboard.common.test.EndpointSecurity;
import dev.switchboard.common.test.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Agent writes (register, update, delete, versions, rollout, promote) need role admin; reads, status and
 * rollback also accept the service token (the supervisor proxies status changes and rolls canaries back); remote
 * agents heartbeat with an agent key.
 */
@QuarkusTest
class SecurityTest {

    @Test
    void everyEndpointRefusesMissingWrongRoleAndExpiredCredentials() {
        List<EndpointSecurity.Endpoint> endpoints = EndpointSecurity.assertSecured("dev.switchboard.registry", 17);
        Map<String, Set<String>> roles = endpoints.stream()
                .collect(Collectors.toMap(EndpointSecurity.Endpoint::toString, EndpointSecurity.Endpoint::roles));
        assertEquals(Set.of("admin"), roles.get("POST /agents (AgentResource.registerAgent)"));
        assertEquals(Set.of("admin"), roles.get("PUT /agents/1 (AgentResource.updateAgent)"));
        assertEquals(Set.of("admin"), roles.get("DELETE /agents/1 (AgentResource.deleteAgent)"));
        assertEquals(Set.of("admin"), roles.get("POST /agents/1/rollout (AgentResource.rollout)"));
        assertEquals(Set.of("admin"), roles.get("POST /agents/1/promote (AgentResource.promote)"));
        assertEquals(Set.of("service", "admin"), roles.get("POST /agents/1/status (AgentResource.changeStatus)"));
        assertEquals(
                Set.of("agent", "service", "admin"),
                roles.get("POST /agents/1/heartbeat (AgentResource.recordHeartbeat)"));
    }

    @Test
    void aUserKeyCannotRegisterAnAgentAndAnAdminJwtCan() {
        DefaultCredentialsCallback.anonymous();
        String body = """
                {"name":"security_probe_agent","description":"Probe agent of the security test",
                 "capabilities":["probe"],"examples":["probe the registry"]}""";
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .contentType("application/json")
                .body(body)
                .post("/agents")
                .then()
                .statusCode(403);
        String adminJwt = TestCredentials.accessToken("jwt-admin", Set.of("admin"), java.time.Duration.ofMinutes(5));
        given().header("Authorization", TestCredentials.bearer(adminJwt))
                .contentType("application/json")
                .body(body)
                .post("/agents")
                .then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201), org.hamcrest.Matchers.is(200)));
        String agentJwt =
                TestCredentials.accessToken("security_probe_agent", Set.of("agent"), java.time.Duration.ofMinutes(5));
        given().header("Authorization", TestCredentials.bearer(agentJwt))
                .post("/agents/security_probe_agent/heartbeat")
                .then()
                .statusCode(200);
        given().header("Authorization", TestCredentials.bearer(adminJwt))
                .delete("/agents/security_probe_agent")
                .then()
                .statusCode(204);
    }

    @Test
    void anAgentKeyHeartbeatsOnlyTheAgentItIsNamedAfter() {
        DefaultCredentialsCallback.anonymous();
        String admin = TestCredentials.bearer(TestCredentials.ADMIN_KEY);
        for (String name : List.of("test-agent", "security_victim_agent")) {
            given().header("Authorization", admin)
                    .contentType("application/json")
                    .body("{\"name\":\"" + name + "\",\"description\":\"Agent of the heartbeat security test\","
                            + "\"capabilities\":[\"probe\"],\"examples\":[\"probe the heartbeat\"]}")
                    .post("/agents")
                    .then()
                    .statusCode(
                            org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201), org.hamcrest.Matchers.is(200)));
        }
        try {
            // the key of agent "test-agent" (SWITCHBOARD_API_KEYS name) keeps another agent alive: refused
            given().header("Authorization", TestCredentials.bearer(TestCredentials.AGENT_KEY))
                    .post("/agents/security_victim_agent/heartbeat")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.containsString("/forbidden"));
            given().header("Authorization", TestCredentials.bearer(TestCredentials.AGENT_KEY))
                    .post("/agents/test-agent/heartbeat")
                    .then()
                    .statusCode(200);
            // the services and administrators still heartbeat any agent
            given().header("Authorization", TestCredentials.bearer(TestCredentials.SERVICE_TOKEN))
                    .post("/agents/security_victim_agent/heartbeat")
                    .then()
                    .statusCode(200);
        } finally {
            for (String name : List.of("test-agent", "security_victim_agent")) {
                given().header("Authorization", admin).delete("/agents/" + name);
            }
        }
    }
}
