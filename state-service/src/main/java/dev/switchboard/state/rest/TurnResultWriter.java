package dev.switchboard.state.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.state.TurnResult;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link TurnResult} as {@code {"session":...,"checkpoint_id":...}} around the session JSON the write already
 * produced for its checkpoint and Redis copy, instead of serialising the whole session a second time per append;
 * Jackson writes it as usual when there is no such JSON. Both give the same document.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class TurnResultWriter implements MessageBodyWriter<TurnResult> {

    private static final byte[] SESSION = "{\"session\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHECKPOINT = ",\"checkpoint_id\":".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;

    /** @param mapper the service's mapper (same settings as the session JSON) */
    public TurnResultWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return TurnResult.class.equals(type);
    }

    @Override
    public void writeTo(
            TurnResult result,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws IOException {
        if (result.sessionJson() == null) {
            mapper.writeValue(out, result);
            return;
        }
        out.write(SESSION);
        out.write(result.sessionJson().getBytes(StandardCharsets.UTF_8));
        if (result.checkpointId() != null) {
            out.write(CHECKPOINT);
            out.write(mapper.writeValueAsBytes(result.checkpointId()));
        }
        out.write('}');
    }
}
