package dev.switchboard.supervisor.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import io.smallrye.mutiny.Uni;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What a stored turn answered its client: the reply, or the problem of a turn whose agent failed. Kept with an
 * idempotency key (in Redis, for the fast path) and rebuilt from the turn record in the session (state-service, the
 * durable copy), so a repeated request gets the first request's answer.
 *
 * @param response the answer of a turn whose agent answered, or {@code null}
 * @param problem  the problem of a turn whose agent failed, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredAnswer(ChatResponse response, StoredProblem problem) {

    /**
     * A problem as the client got it (RFC 9457 members).
     *
     * @param type   type URI
     * @param title  title
     * @param status HTTP status
     * @param detail detail
     */
    public record StoredProblem(String type, String title, int status, String detail) {}

    /** @return the answer of a turn that answered */
    static StoredAnswer of(ChatResponse response) {
        return new StoredAnswer(response, null);
    }

    /** @return the answer of a turn that failed with {@code problem} */
    static StoredAnswer of(ProblemException problem) {
        return new StoredAnswer(
                null, new StoredProblem(problem.type(), problem.title(), problem.status(), problem.getMessage()));
    }

    /**
     * The answer of turn {@code turnId} as {@code session} records it: for outcome {@code ok} the assistant message
     * of the turn with its agent, routing and checkpoint; for outcome {@code error} the problem the metadata names
     * ({@code problem_type}, {@code problem_status}) with the stored error as detail.
     *
     * @return the answer, or empty when the session holds no such turn
     */
    static Optional<StoredAnswer> fromSession(Session session, String turnId) {
        Session.Turn turn = session.turnsOrEmpty().stream()
                .filter(t -> turnId.equals(t.turnId()))
                .findFirst()
                .orElse(null);
        if (turn == null) {
            return Optional.empty();
        }
        if (!PersistStep.OK.equals(turn.outcome())) {
            Map<String, Object> metadata = turn.metadata() == null ? Map.of() : turn.metadata();
            String type = String.valueOf(metadata.getOrDefault(PersistStep.PROBLEM_TYPE, ""));
            SupervisorProblem kind = Arrays.stream(SupervisorProblem.values())
                    .filter(p -> p.uri().equals(type))
                    .findFirst()
                    .orElse(SupervisorProblem.AGENT_FAILED);
            int status = metadata.get(PersistStep.PROBLEM_STATUS) instanceof Number n ? n.intValue() : kind.status();
            return Optional.of(new StoredAnswer(
                    null,
                    new StoredProblem(
                            kind.uri(),
                            kind.title(),
                            status,
                            turn.error() == null ? "The agent failed" : turn.error())));
        }
        String reply = session.messagesOrEmpty().stream()
                .filter(m -> turnId.equals(m.turnId()) && "assistant".equals(m.role()))
                .map(Session.Message::content)
                .reduce((first, later) -> later)
                .orElse("");
        Session.Routing routing = turn.routing();
        return Optional.of(of(new ChatResponse(
                session.sessionId(),
                reply,
                turn.agent(),
                new ChatResponse.Routing(
                        routing == null ? null : routing.method(),
                        routing == null || routing.score() == null ? 0.0 : routing.score()),
                turn.checkpointId(),
                turn.turnId())));
    }

    /**
     * @return the answer again, marked as replayed: the response, or a failure with the problem (and the
     *         {@code Idempotent-Replayed} header)
     */
    Uni<ChatResponse> replay() {
        if (problem != null) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            problem.type(),
                            problem.title(),
                            problem.status(),
                            problem.detail(),
                            null,
                            Map.of(IdempotencyKey.REPLAYED_HEADER, "true"),
                            null));
        }
        return Uni.createFrom().item(response.asReplayed());
    }
}
