package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.common.text.StorableText;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * GoHighLevel's error answers as typed exceptions: 429 and 5xx → {@link GhlUnavailableException} (not carried out,
 * try later; counted by the breaker), any other 4xx → {@link GhlRejectedException} (refused for good). The detail
 * keeps the start of GHL's body, storable (it ends up in a queue row's {@code last_error}).
 */
public class GhlExceptionMapper implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        String detail = "GoHighLevel answered " + status;
        try {
            String body = response.readEntity(String.class);
            if (body != null && !body.isBlank()) {
                // never half a surrogate pair, never a character PostgreSQL cannot store
                detail = detail + ": " + StorableText.storable(body, 300);
            }
        } catch (RuntimeException e) {
            // keep the status-only detail
        }
        if (status == 429 || status >= 500) {
            return new GhlUnavailableException(detail, false, null);
        }
        return new GhlRejectedException(status, detail);
    }
}
