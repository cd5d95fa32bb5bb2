package dev.switchboard.supervisor.api.a2a;

import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.config.SupervisorConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The supervisor's own A2A Agent Card at {@code /.well-known/agent-card.json} (A2A specification 0.3, which renamed
 * {@code agent.json} to {@code agent-card.json}); its skills are the active agents (id = agent name, tags =
 * capabilities, examples = the first five example utterances). {@code url} is this replica's
 * {@code /a2a} JSON-RPC endpoint ({@link A2aJsonRpcResource}), built from the request's base URI.
 */
@Path("/.well-known/agent-card.json")
@PermitAll
@Tag(name = "a2a")
// StorableParameters checks every query parameter, also those no method reads
@CommonProblems(CommonProblem.INVALID_TEXT)
public class AgentCardResource {

    /** A2A protocol version of the card. */
    public static final String PROTOCOL_VERSION = "0.3.0";

    private final AgentCache agents;
    private final SupervisorConfig config;

    AgentCardResource(AgentCache agents, SupervisorConfig config) {
        this.agents = agents;
        this.config = config;
    }

    /** @return the card as a JSON object with the specification's camelCase field names */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A2A Agent Card of the supervisor; skills = active agents")
    public Map<String, Object> agentCard(@Context UriInfo uri) {
        String base = uri.getBaseUri().toString().replaceAll("/+$", "");
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("protocolVersion", PROTOCOL_VERSION);
        card.put("name", "Switchboard supervisor");
        card.put(
                "description",
                "Routes each message to the best of Switchboard's registered agents and answers"
                        + " through it; a conversation is one contextId.");
        card.put("url", base + "/a2a");
        card.put("preferredTransport", "JSONRPC");
        card.put("version", config.instance().version());
        card.put("provider", Map.of("organization", "Switchboard", "url", base));
        card.put(
                "capabilities",
                Map.of("streaming", false, "pushNotifications", false, "stateTransitionHistory", false));
        // A2A 0.3 security: the same bearer credentials as the REST API (API key or JWT access token)
        card.put(
                "securitySchemes",
                Map.of(
                        "bearer",
                        Map.of(
                                "type",
                                "http",
                                "scheme",
                                "bearer",
                                "description",
                                "Switchboard API key or JWT access token (POST /api/v1/auth/login)")));
        card.put("security", List.of(Map.of("bearer", List.of())));
        card.put("defaultInputModes", List.of("text"));
        card.put("defaultOutputModes", List.of("text"));
        card.put(
                "skills",
                agents.agents().values().stream()
                        .filter(AgentDescriptor::isActive)
                        .map(a -> {
                            Map<String, Object> skill = new LinkedHashMap<>();
                            skill.put("id", a.name());
                            skill.put("name", a.name());
                            skill.put("description", a.description());
                            skill.put("tags", a.capabilities());
                            skill.put("examples", a.examples().stream().limit(5).toList());
                            skill.put("inputModes", List.of("text"));
                            skill.put("outputModes", List.of("text"));
                            return skill;
                        })
                        .toList());
        return card;
    }
}
