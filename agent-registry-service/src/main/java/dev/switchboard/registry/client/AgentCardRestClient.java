package dev.switchboard.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** An A2A Agent Card URL; built per URL by {@link AgentCardClient} (the card URL is the base URI). */
interface AgentCardRestClient {

    /** GETs the card as JSON (camelCase fields per the A2A specification). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> fetch();
}
