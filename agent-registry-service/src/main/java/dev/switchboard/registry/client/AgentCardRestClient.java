package dev.switchboard.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;
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

    /**
     * A card is third-party text we keep: U+0000 and unpaired surrogates in it become U+FFFD instead of failing
     * the read (our own mapper refuses them, which suits request bodies, not someone else's card).
     */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaultObjectMapper) {
        return JacksonCustomizer.forThirdPartyText(defaultObjectMapper);
    }
}
