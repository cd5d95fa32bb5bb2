package dev.switchboard.supervisor.agent;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * A remote agent's HTTP endpoint; built per endpoint URL by {@link RemoteAgentClient} (the endpoint is the base
 * URI, so the POST goes to exactly that URL).
 */
interface RemoteAgentRestClient {

    /** POSTs one turn and reads the agent's reply. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Reply> send(Payload payload);

    /**
     * The request body: {@code {"message","session_id","user_id","history":[{"role","content"}],"state":{}}}.
     *
     * @param message   the user's message
     * @param sessionId the session id
     * @param userId    the user id, may be {@code null}
     * @param history   earlier messages, oldest first
     * @param state     the session's state (free-form JSON object)
     */
    record Payload(String message, String sessionId, String userId, List<HistoryEntry> history,
            Map<String, Object> state) {
    }

    /**
     * One earlier message.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the text
     */
    record HistoryEntry(String role, String content) {
    }

    /**
     * The response body {@code {"reply": "...", "state_patch": {...}}}.
     *
     * @param reply      the agent's answer
     * @param statePatch optional JSON merge patch of the session state
     */
    record Reply(String reply, Map<String, Object> statePatch) {
    }
}
