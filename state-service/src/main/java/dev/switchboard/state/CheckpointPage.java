package dev.switchboard.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a thread's checkpoints, newest first.
 *
 * @param threadId    the session id
 * @param checkpoints the page
 * @param next        pass as {@code before} to get the next (older) page; {@code null} on the last page
 */
public record CheckpointPage(String threadId, List<CheckpointSummary> checkpoints,
        @JsonInclude(JsonInclude.Include.ALWAYS) String next) {
}
