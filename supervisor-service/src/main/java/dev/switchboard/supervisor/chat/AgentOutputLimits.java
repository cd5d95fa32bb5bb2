package dev.switchboard.supervisor.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.agents.AgentReply.ToolCallRecord;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.NewTurn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Bounds what an agent produced before its turn is stored, so that state-service always takes the turn and the
 * user's message is never lost. Text PostgreSQL cannot store (U+0000, lone surrogates) in the reply, the tool calls
 * and the state patch becomes U+FFFD; a reply over {@code AGENT_REPLY_MAX_CHARS} is cut and ends with
 * {@link #TRUNCATED_MARKER}; a state patch over {@code AGENT_STATE_PATCH_MAX_BYTES} is dropped; tool-call texts are
 * cut to {@value #TOOL_TEXT_MAX_CHARS} characters and at most {@value #MAX_TOOL_CALLS} calls are kept. Each change is
 * noted for the turn's {@code metadata.output_limits} as {@code {field, action, size?, limit?, reason}}.
 */
@ApplicationScoped
public class AgentOutputLimits {

    /** Ends a reply that was cut to {@code AGENT_REPLY_MAX_CHARS}. */
    public static final String TRUNCATED_MARKER = "\n\n[reply truncated]";
    /** Longest tool-call argument or result text kept in a turn's metadata (the model saw all of it). */
    static final int TOOL_TEXT_MAX_CHARS = 2000;
    /** Most tool calls kept in a turn's metadata. */
    static final int MAX_TOOL_CALLS = 50;
    /** state-service's limit on one message or error text, in characters. */
    static final int STATE_TEXT_MAX_CHARS = 32000;

    private static final Logger LOG = Logger.getLogger(AgentOutputLimits.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final int replyMaxChars;
    private final long statePatchMaxBytes;
    private final long turnMaxBytes;
    private final ObjectMapper mapper;
    private final ObjectMapper thirdParty;

    @Inject
    AgentOutputLimits(SupervisorConfig config, ObjectMapper mapper) {
        this(
                config.agentOutput().replyMaxChars(),
                config.agentOutput().statePatchMaxBytes().asLongValue(),
                config.agentOutput().turnMaxBytes().asLongValue(),
                mapper);
    }

    /**
     * @param replyMaxChars      longest reply kept, in characters
     * @param statePatchMaxBytes largest state patch kept, in JSON bytes
     * @param turnMaxBytes       largest turn sent to state-service, in JSON bytes
     * @param mapper             the service's mapper: measures what the state-service client will send
     */
    AgentOutputLimits(int replyMaxChars, long statePatchMaxBytes, long turnMaxBytes, ObjectMapper mapper) {
        this.replyMaxChars = Math.min(replyMaxChars, STATE_TEXT_MAX_CHARS);
        this.statePatchMaxBytes = statePatchMaxBytes;
        this.turnMaxBytes = turnMaxBytes;
        this.mapper = mapper;
        // the service's mapper refuses unstorable text when it reads a tree; agent output must be cleaned instead
        this.thirdParty = JacksonCustomizer.forThirdPartyText(mapper);
    }

    /**
     * An agent reply made storable and bounded.
     *
     * @param reply  the reply to store and answer
     * @param limits what was changed and why, for {@code metadata.output_limits} (empty when nothing was)
     */
    public record Bounded(AgentReply reply, List<Map<String, Object>> limits) {}

    /** @return {@code reply} made storable and bounded, with a note per change */
    public Bounded bound(AgentReply reply) {
        List<Map<String, Object>> limits = new ArrayList<>();
        String text = reply.text() == null ? "" : reply.text();
        String clean = StorableText.replaceUnstorable(text);
        if (clean != text) {
            limits.add(note(
                    "reply",
                    "replaced",
                    null,
                    null,
                    "characters that cannot be stored (U+0000, unpaired surrogates) became U+FFFD"));
        }
        if (clean.length() > replyMaxChars) {
            int size = clean.length();
            clean = StorableText.cut(clean, replyMaxChars - TRUNCATED_MARKER.length()) + TRUNCATED_MARKER;
            limits.add(note(
                    "reply",
                    "truncated",
                    size,
                    replyMaxChars,
                    "the reply has " + size + " characters; it was cut to " + replyMaxChars
                            + " (AGENT_REPLY_MAX_CHARS)"));
        }
        return new Bounded(
                new AgentReply(
                        clean,
                        toolCalls(reply.toolCalls(), limits),
                        reply.inputTokens(),
                        reply.outputTokens(),
                        statePatch(reply.statePatch(), limits)),
                List.copyOf(limits));
    }

    /** @return {@code text} storable and within state-service's 32000 characters (user messages, error texts) */
    public String storable(String text) {
        return StorableText.storable(text, STATE_TEXT_MAX_CHARS);
    }

    /**
     * Makes the turn fit {@code AGENT_TURN_MAX_BYTES} (below state-service's body limit): over it, the tool calls
     * keep only their names, then the state patch is dropped; each step is noted in {@code output_limits}.
     *
     * @return {@code turn} itself when it fits, else a smaller copy
     */
    public NewTurn fit(NewTurn turn) {
        long size = jsonBytes(turn);
        if (size <= turnMaxBytes) {
            return turn;
        }
        Map<String, Object> metadata =
                turn.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(turn.metadata());
        List<Object> limits = new ArrayList<>();
        if (metadata.get("output_limits") instanceof List<?> earlier) {
            limits.addAll(earlier);
        }
        metadata.put("output_limits", limits);
        if (metadata.get("tool_calls") instanceof List<?> calls && !calls.isEmpty()) {
            metadata.put(
                    "tool_calls",
                    calls.stream()
                            .map(c -> c instanceof ToolCallRecord r ? Map.of("name", r.name()) : c)
                            .toList());
            limits.add(note(
                    "tool_calls",
                    "shortened",
                    size,
                    turnMaxBytes,
                    "the turn has " + size
                            + " bytes of JSON; tool calls keep only their names (AGENT_TURN_MAX_BYTES)"));
            turn = withMetadata(turn, metadata, turn.statePatch());
            size = jsonBytes(turn);
        }
        if (size > turnMaxBytes && turn.statePatch() != null) {
            limits.add(note(
                    "state_patch",
                    "dropped",
                    size,
                    turnMaxBytes,
                    "the turn has " + size + " bytes of JSON; the state patch was dropped (AGENT_TURN_MAX_BYTES)"));
            turn = withMetadata(turn, metadata, null);
            size = jsonBytes(turn);
        }
        if (size > turnMaxBytes) {
            LOG.warnf(
                    "Turn %s still has %d bytes of JSON, over AGENT_TURN_MAX_BYTES=%d",
                    turn.turnId(), size, turnMaxBytes);
        }
        return turn;
    }

    private List<ToolCallRecord> toolCalls(List<ToolCallRecord> calls, List<Map<String, Object>> limits) {
        if (calls == null || calls.isEmpty()) {
            return List.of();
        }
        List<ToolCallRecord> kept = new ArrayList<>();
        boolean cut = false;
        for (ToolCallRecord call : calls.subList(0, Math.min(calls.size(), MAX_TOOL_CALLS))) {
            String arguments = StorableText.storable(call.arguments(), TOOL_TEXT_MAX_CHARS);
            String result = StorableText.storable(call.result(), TOOL_TEXT_MAX_CHARS);
            cut |= call.arguments() != null && call.arguments().length() > TOOL_TEXT_MAX_CHARS
                    || call.result() != null && call.result().length() > TOOL_TEXT_MAX_CHARS;
            kept.add(new ToolCallRecord(StorableText.replaceUnstorable(call.name()), arguments, result));
        }
        if (cut) {
            limits.add(note(
                    "tool_calls",
                    "truncated",
                    null,
                    TOOL_TEXT_MAX_CHARS,
                    "tool-call arguments and results are kept up to " + TOOL_TEXT_MAX_CHARS + " characters each"));
        }
        if (calls.size() > MAX_TOOL_CALLS) {
            limits.add(note(
                    "tool_calls",
                    "truncated",
                    calls.size(),
                    MAX_TOOL_CALLS,
                    "the turn made " + calls.size() + " tool calls; the first " + MAX_TOOL_CALLS + " are kept"));
        }
        return List.copyOf(kept);
    }

    private Map<String, Object> statePatch(Map<String, Object> patch, List<Map<String, Object>> limits) {
        if (patch == null) {
            return null;
        }
        JsonNode tree = thirdParty.valueToTree(patch); // read back through the replacing tree reader: cleaned
        long size = jsonBytes(tree);
        if (size > statePatchMaxBytes) {
            limits.add(note(
                    "state_patch",
                    "dropped",
                    size,
                    statePatchMaxBytes,
                    "the state patch has " + size
                            + " bytes of JSON, over " + statePatchMaxBytes
                            + " (AGENT_STATE_PATCH_MAX_BYTES); the session "
                            + "state was left as it was"));
            return null;
        }
        return thirdParty.convertValue(tree, MAP);
    }

    private long jsonBytes(Object value) {
        CountingStream counter = new CountingStream();
        try {
            mapper.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    private static NewTurn withMetadata(NewTurn turn, Map<String, Object> metadata, Map<String, Object> statePatch) {
        return new NewTurn(
                turn.turnId(),
                turn.messages(),
                turn.agent(),
                turn.routing(),
                turn.outcome(),
                turn.error(),
                metadata,
                statePatch);
    }

    private static Map<String, Object> note(String field, String action, Number size, Number limit, String reason) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("field", field);
        note.put("action", action);
        if (size != null) {
            note.put("size", size);
        }
        if (limit != null) {
            note.put("limit", limit);
        }
        note.put("reason", reason);
        return note;
    }

    /** Counts the bytes written, keeps none. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
