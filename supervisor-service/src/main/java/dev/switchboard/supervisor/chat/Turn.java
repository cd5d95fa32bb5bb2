package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.peers.TurnAppended;
import dev.switchboard.supervisor.prompts.PromptService.RenderedPrompt;
import dev.switchboard.supervisor.routing.RoutingDecision;
import dev.switchboard.supervisor.sessions.SessionLease;
import java.util.UUID;

/**
 * One chat turn as it passes through the {@link TurnPipeline}: what the client asked and what each step has found
 * out so far. Immutable: a step returns a copy with its finding ({@code withXxx}); what the turn stores and answers
 * is read from here, never from a side channel. Fields a step has not reached yet are {@code null}.
 *
 * @param request       the client's request
 * @param sessionId     the session (the client's, or a new UUID)
 * @param newSession    whether the client named no session
 * @param turnId        this turn's id (UUID), the idempotency key of its checkpoint
 * @param startNanos    {@link System#nanoTime()} when the turn got its concurrency slot: its latency, as metrics
 *                      and the turn's {@code latency_ms} report it, leaves out the rate limit and the lease wait
 * @param lease         the session's lease while the turn holds it
 * @param admitted      whether the turn holds one of this replica's concurrency slots
 * @param session       the session as loaded (or this replica's snapshot of it)
 * @param decision      the routing decision
 * @param agent         the agent version that runs the turn: the routed agent, or the rollout's choice
 * @param canary        whether {@link #agent} is a canary version
 * @param prompt        the system prompt rendered for {@link #agent}, or {@code null} (none, or the built-in one)
 * @param systemPrompt  the system prompt text the agent gets, or {@code null} (remote agents without a prompt)
 * @param reply         what the agent answered (after {@link PersistStep}: the bounded text that was stored)
 * @param agentFailure  why the agent failed, or {@code null}
 * @param executionNanos how long the agent ran (ns)
 * @param appended      state-service's answer to the append
 * @param idempotency   the client's idempotency key bound to the request, or {@code null}: it decides the turn id
 *                      (and the session id when the client named none)
 * @param replay        the answer of this very turn, found already stored in the session (an earlier attempt with
 *                      the same idempotency key): the remaining steps are skipped and it is answered again
 */
public record Turn(
        ChatRequest request,
        String sessionId,
        boolean newSession,
        String turnId,
        long startNanos,
        SessionLease lease,
        boolean admitted,
        Session session,
        RoutingDecision decision,
        AgentDescriptor agent,
        boolean canary,
        RenderedPrompt prompt,
        String systemPrompt,
        AgentReply reply,
        Throwable agentFailure,
        long executionNanos,
        TurnAppended appended,
        IdempotencyKey idempotency,
        StoredAnswer replay) {

    /** A new turn for {@code request}: a fresh turn id, and a fresh session id unless the client named one. */
    public static Turn start(ChatRequest request) {
        return start(request, null);
    }

    /**
     * A new turn for {@code request}. Without an idempotency key: a fresh turn id, and a fresh session id unless the
     * client named one. With one: the turn id the key derives, and the session id it derives unless the client named
     * one, so every attempt of the request is the same turn of the same session.
     *
     * @param key the bound idempotency key, or {@code null}
     */
    public static Turn start(ChatRequest request, IdempotencyKey key) {
        boolean named = request.sessionId() != null;
        String sessionId = named
                ? request.sessionId()
                : key != null ? key.sessionId() : UUID.randomUUID().toString();
        return new Turn(
                request,
                sessionId,
                !named && key == null,
                key != null ? key.turnId() : UUID.randomUUID().toString(),
                System.nanoTime(),
                null,
                false,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                0,
                null,
                key,
                null);
    }

    /** @return who the rate limit counts: the user, else the session, else everyone anonymous together */
    public String caller() {
        return request.userId() != null
                ? request.userId()
                : request.sessionId() != null ? request.sessionId() : "anonymous";
    }

    /** @return the user, or {@code null} */
    public String userId() {
        return request.userId();
    }

    /** @return milliseconds since the turn was admitted */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** @return whether the agent failed */
    public boolean failed() {
        return agentFailure != null;
    }

    Turn withLease(SessionLease held) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                held,
                admitted,
                session,
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    Turn withAdmitted() {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                System.nanoTime(),
                lease,
                true,
                session,
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    Turn withSession(Session loaded) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                loaded,
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    /** @return this turn routed: {@link #agent} is the routed agent until a rollout picks a version */
    Turn withDecision(RoutingDecision routed) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                session,
                routed,
                routed.agent(),
                false,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    /** @return this turn run by {@code version} of the routed agent */
    public Turn withVersion(AgentDescriptor version, boolean isCanary) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                session,
                decision,
                version,
                isCanary,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    /** @return this turn with the system prompt the agent gets ({@code rendered} may be {@code null}) */
    public Turn withPrompt(RenderedPrompt rendered, String text) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                session,
                decision,
                agent,
                canary,
                rendered,
                text,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                replay);
    }

    /** @return this turn with the agent's answer, or its failure when {@code failure} is not {@code null} */
    public Turn withExecution(AgentReply answered, Throwable failure, long nanos) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                session,
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                answered,
                failure,
                nanos,
                appended,
                idempotency,
                replay);
    }

    /** @return this turn found already stored: {@code answer} is what it answered */
    Turn withReplay(StoredAnswer answer) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                session,
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                reply,
                agentFailure,
                executionNanos,
                appended,
                idempotency,
                answer);
    }

    /** @return whether the session id was derived from the idempotency key (the client named none) */
    public boolean derivedSession() {
        return idempotency != null && request.sessionId() == null;
    }

    Turn withStored(AgentReply stored, TurnAppended result) {
        return new Turn(
                request,
                sessionId,
                newSession,
                turnId,
                startNanos,
                lease,
                admitted,
                result.session(),
                decision,
                agent,
                canary,
                prompt,
                systemPrompt,
                stored,
                agentFailure,
                executionNanos,
                result,
                idempotency,
                replay);
    }

    /**
     * A routed turn, for tests of the steps after routing.
     *
     * @return a turn for {@code request} in session {@code sessionId} routed by {@code decision}
     */
    public static Turn routed(ChatRequest request, String sessionId, RoutingDecision decision) {
        return new Turn(
                request,
                sessionId,
                false,
                UUID.randomUUID().toString(),
                System.nanoTime(),
                null,
                false,
                null,
                decision,
                decision.agent(),
                false,
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                null);
    }
}
