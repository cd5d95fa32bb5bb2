package dev.switchboard.supervisor.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.common.text.StorableText;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.agents.AgentReply.ToolCallRecord;
import dev.switchboard.supervisor.peers.NewTurn;
import dev.switchboard.supervisor.peers.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bounds on agent output, without Quarkus: replacement, cuts, drops and the whole turn's budget. */
class AgentOutputLimitsTest {

    private static final ObjectMapper MAPPER = service();
    private final AgentOutputLimits limits = new AgentOutputLimits(1000, 1024, 64 * 1024, MAPPER);

    private static ObjectMapper service() {
        ObjectMapper mapper = new ObjectMapper();
        new JacksonCustomizer().customize(mapper);
        return mapper;
    }

    @Test
    void aStorableReplyWithinTheLimitIsKeptAsItIs() {
        AgentReply reply = new AgentReply("All good \uD83D\uDE00", List.of(), 3, 4, Map.of("k", "v"));
        AgentOutputLimits.Bounded bounded = limits.bound(reply);
        assertSame(reply.text(), bounded.reply().text());
        assertEquals(Map.of("k", "v"), bounded.reply().statePatch());
        assertTrue(bounded.limits().isEmpty());
    }

    @Test
    void unstorableCharactersBecomeReplacementsEverywhereAndAreNoted() {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("a\u0000", List.of("x\uD800"));
        AgentReply reply = new AgentReply(
                "hi\u0000 there\uDC00",
                List.of(new ToolCallRecord("t", "{\"q\":\"\uD800\"}", "res\u0000")),
                0,
                0,
                patch);

        AgentOutputLimits.Bounded bounded = limits.bound(reply);

        assertEquals("hi\uFFFD there\uFFFD", bounded.reply().text());
        assertEquals("{\"q\":\"\uFFFD\"}", bounded.reply().toolCalls().get(0).arguments());
        assertEquals("res\uFFFD", bounded.reply().toolCalls().get(0).result());
        assertEquals(Map.of("a\uFFFD", List.of("x\uFFFD")), bounded.reply().statePatch());
        assertEquals("replaced", bounded.limits().get(0).get("action"));
    }

    @Test
    void aLongReplyIsCutWithAMarkerAndNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String text = "ab" + emoji.repeat(2000); // the cut at 981 would fall inside a pair
        AgentOutputLimits.Bounded bounded = limits.bound(new AgentReply(text, List.of(), 0, 0));

        String cut = bounded.reply().text();
        assertTrue(cut.length() <= 1000, "at most the limit: " + cut.length());
        assertTrue(cut.endsWith(AgentOutputLimits.TRUNCATED_MARKER));
        assertEquals(-1, StorableText.firstUnstorable(cut), "no half pair left behind");
        Map<String, Object> note = bounded.limits().get(0);
        assertEquals("reply", note.get("field"));
        assertEquals("truncated", note.get("action"));
        assertEquals(text.length(), note.get("size"));
        assertEquals(1000, note.get("limit"));
    }

    @Test
    void aLargeStatePatchIsDroppedAndToolCallsAreBounded() {
        List<ToolCallRecord> calls = IntStream.range(0, 60)
                .mapToObj(i -> new ToolCallRecord("tool" + i, "{}", "r".repeat(5000)))
                .toList();
        AgentReply reply = new AgentReply("ok", calls, 0, 0, Map.of("blob", "z".repeat(2000)));

        AgentOutputLimits.Bounded bounded = limits.bound(reply);

        assertNull(bounded.reply().statePatch());
        assertEquals(
                AgentOutputLimits.MAX_TOOL_CALLS, bounded.reply().toolCalls().size());
        assertTrue(bounded.reply().toolCalls().stream()
                .allMatch(c -> c.result().length() == AgentOutputLimits.TOOL_TEXT_MAX_CHARS));
        List<String> noted = bounded.limits().stream()
                .map(l -> l.get("field") + " " + l.get("action"))
                .toList();
        assertTrue(noted.contains("state_patch dropped"), noted.toString());
        assertTrue(noted.contains("tool_calls truncated"), noted.toString());
    }

    @Test
    void aTurnOverTheBudgetLosesToolDetailsThenItsPatch() throws Exception {
        AgentOutputLimits tight = new AgentOutputLimits(32000, 64 * 1024, 20 * 1024, MAPPER);
        List<ToolCallRecord> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(new ToolCallRecord("check_availability", "{}", "s".repeat(2000)));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tool_calls", calls);
        NewTurn turn = new NewTurn(
                "t1",
                List.of(new NewTurn.Message("user", "hi", null, null)),
                "agent",
                new Session.Routing("explicit", 1.0),
                "ok",
                null,
                metadata,
                Map.of("blob", "p".repeat(30_000)));

        NewTurn fitted = tight.fit(turn);

        assertTrue(MAPPER.writeValueAsBytes(fitted).length <= 20 * 1024);
        assertNull(fitted.statePatch());
        assertEquals(
                Map.of("name", "check_availability"),
                ((List<?>) fitted.metadata().get("tool_calls")).get(0));
        List<?> noted = (List<?>) fitted.metadata().get("output_limits");
        assertEquals(2, noted.size());
        NewTurn small = new NewTurn("t2", turn.messages(), "agent", turn.routing(), "ok", null, Map.of());
        assertSame(small, tight.fit(small), "a turn that fits is sent as it is");
    }
}
