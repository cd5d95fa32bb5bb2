package dev.switchboard.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.switchboard.common.text.TextModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * House JSON settings for every service: snake_case properties (the wire format existing clients already speak,
 * e.g. {@code session_id}), absent values left out, unknown properties ignored so peers can evolve. What a
 * service reads is guarded: text PostgreSQL cannot store and non-string values where a string is expected
 * fail the read ({@link TextModule#rejecting()}), and documents nested deeper than {@link #MAX_NESTING_DEPTH}
 * fail as soon as the parser gets there, before the rest is read.
 */
@Singleton
public class JacksonCustomizer implements ObjectMapperCustomizer {

    /** Deepest nesting of arrays and objects a service reads; no Switchboard document needs more than a few. */
    public static final int MAX_NESTING_DEPTH = 64;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build());
        mapper.registerModule(TextModule.rejecting());
    }

    /**
     * A copy of the service's mapper for text from third parties (webhook payloads, agent replies, tool
     * results): unstorable characters become U+FFFD instead of failing the read, and scalars are kept as text
     * where text is expected.
     */
    public static ObjectMapper forThirdPartyText(ObjectMapper mapper) {
        return mapper.copy().registerModule(TextModule.replacing());
    }
}
