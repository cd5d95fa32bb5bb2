package dev.switchboard.state.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.state.Message;
import dev.switchboard.state.Session;
import dev.switchboard.state.Turn;
import dev.switchboard.state.service.JsonMergePatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one write added to a session, as stored in a checkpoint row's {@code delta} column: its size depends on
 * the write, not on the session's length. Replaying it ({@link #applyTo}) on the previous version gives the
 * version it was written for.
 *
 * @param messages      messages appended, oldest first (empty when none)
 * @param turns         turn records appended (empty when none)
 * @param statePatch    JSON merge patch (RFC 7386) applied to the session's {@code state}, or {@code null}
 * @param metadataPatch JSON merge patch applied to the session's {@code metadata}, or {@code null}
 * @param updatedAt     the session's {@code updated_at} after the write
 * @param fencingToken  the session's fencing token after the write, or {@code null} when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointDelta(
        List<Message> messages,
        List<Turn> turns,
        ObjectNode statePatch,
        ObjectNode metadataPatch,
        Instant updatedAt,
        Long fencingToken) {

    /**
     * The delta from {@code previous} to {@code next}, where {@code next} appended to the message and turn lists and
     * merge-patched state and metadata with the given patches.
     */
    public static CheckpointDelta between(
            Session previous, Session next, ObjectNode statePatch, ObjectNode metadataPatch) {
        return new CheckpointDelta(
                appended(previous.messages(), next.messages()),
                appended(previous.turns(), next.turns()),
                statePatch,
                metadataPatch,
                next.updatedAt(),
                next.fencingToken());
    }

    /**
     * Replays this delta.
     *
     * @param previous     the session at the version below
     * @param version      the version this delta was written for
     * @param checkpointId the checkpoint holding that version
     * @return the session at {@code version}
     */
    public Session applyTo(Session previous, long version, String checkpointId) {
        return new Session(
                previous.sessionId(),
                previous.userId(),
                version,
                concat(previous.messages(), messages),
                concat(previous.turns(), turns),
                statePatch == null ? previous.state() : JsonMergePatch.apply(previous.state(), statePatch),
                metadataPatch == null ? previous.metadata() : JsonMergePatch.apply(previous.metadata(), metadataPatch),
                previous.createdAt(),
                updatedAt,
                checkpointId,
                false,
                fencingToken);
    }

    private static <T> List<T> appended(List<T> before, List<T> after) {
        int from = before == null ? 0 : before.size();
        return after == null || after.size() <= from ? List.of() : List.copyOf(after.subList(from, after.size()));
    }

    private static <T> List<T> concat(List<T> before, List<T> added) {
        if (added == null || added.isEmpty()) {
            return before;
        }
        List<T> all = new ArrayList<>((before == null ? 0 : before.size()) + added.size());
        if (before != null) {
            all.addAll(before);
        }
        all.addAll(added);
        return all;
    }
}
