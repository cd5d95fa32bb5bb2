package dev.switchboard.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a session's checkpoints, newest first.
 *
 * @param sessionId   the session id, sent as {@code thread_id}: the name LangGraph users migrate from
 * @param checkpoints the page
 * @param next        pass as {@code before} to get the next (older) page; {@code null} on the last page
 */
public record CheckpointPage(
        @JsonProperty("thread_id") String sessionId,
        List<CheckpointSummary> checkpoints,
        @JsonInclude(JsonInclude.Include.ALWAYS) String next) {}
