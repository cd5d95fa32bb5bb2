package dev.switchboard.supervisor.agents;

import java.util.List;
import java.util.Map;

/**
 * Output of one agent turn.
 *
 * @param text         the reply shown to the user
 * @param toolCalls    tool calls made during the turn, in order
 * @param inputTokens  prompt tokens used (0 when unknown)
 * @param outputTokens completion tokens used (0 when unknown)
 * @param statePatch   JSON merge patch of the session state returned by a remote agent, or {@code null}
 */
public record AgentReply(
        String text,
        List<ToolCallRecord> toolCalls,
        int inputTokens,
        int outputTokens,
        Map<String, Object> statePatch) {

    /** A reply without a state patch. */
    public AgentReply(String text, List<ToolCallRecord> toolCalls, int inputTokens, int outputTokens) {
        this(text, toolCalls, inputTokens, outputTokens, null);
    }

    /**
     * One executed tool call.
     *
     * @param name      tool name, e.g. {@code check_availability}
     * @param arguments the JSON arguments the model sent
     * @param result    the text result returned to the model
     */
    public record ToolCallRecord(String name, String arguments, String result) {}
}
