package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A session: the Redis copy, the API shape and the checkpoint snapshot all have this shape.
 *
 * @param sessionId        the session id (its checkpoints' {@code thread_id})
 * @param userId           owner, or {@code null} for anonymous sessions
 * @param version          1 on creation, +1 on every write; equals the version of its latest checkpoint
 * @param messages         history, oldest first
 * @param turns            turn records, oldest first
 * @param state            free-form JSON object (JSON-merge-patched by PATCH and turns)
 * @param metadata         free-form JSON object
 * @param createdAt        creation time
 * @param updatedAt        time of the last write
 * @param lastCheckpointId id of the checkpoint holding this version
 * @param recovered        {@code true} only on the response that rebuilt the session from PostgreSQL
 * @param fencingToken     highest {@code X-Fencing-Token} a write of this session carried, or {@code null} when
 *                         no write carried one; writes with a lower token are refused
 */
public record Session(
        String sessionId,
        String userId,
        long version,
        List<Message> messages,
        List<Turn> turns,
        ObjectNode state,
        ObjectNode metadata,
        Instant createdAt,
        Instant updatedAt,
        String lastCheckpointId,
        boolean recovered,
        Long fencingToken) {

    /** @return this session with the given {@code recovered} flag */
    public Session withRecovered(boolean flag) {
        return flag == recovered
                ? this
                : new Session(
                        sessionId,
                        userId,
                        version,
                        messages,
                        turns,
                        state,
                        metadata,
                        createdAt,
                        updatedAt,
                        lastCheckpointId,
                        flag,
                        fencingToken);
    }

    /**
     * @param token the token a write carries, or {@code null}
     * @return whether {@code token} is older than the highest token this session has seen (a write carrying it
     *         must be refused)
     */
    public boolean isStale(Long token) {
        return token != null && fencingToken != null && token < fencingToken;
    }

    /**
     * @param token the token a write carries, or {@code null}
     * @return the token the next version stores: the higher of the stored one and {@code token}
     */
    public Long nextFencingToken(Long token) {
        if (token == null) {
            return fencingToken;
        }
        return fencingToken == null ? token : Math.max(fencingToken, token);
    }

    /** @return the turn with this id, if the session already contains it */
    public Optional<Turn> findTurn(String turnId) {
        return turns == null
                ? Optional.empty()
                : turns.stream().filter(t -> t.turnId().equals(turnId)).findFirst();
    }

    /** @return the number of messages in the history */
    public int messageCount() {
        return messages == null ? 0 : messages.size();
    }
}
