package dev.switchboard.registry.service;

import dev.switchboard.common.net.AddressNotAllowedException;
import dev.switchboard.common.net.OutboundAddressPolicy;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.registry.A2aRegistration;
import dev.switchboard.registry.Agent;
import dev.switchboard.registry.AgentCardUnreachableException;
import dev.switchboard.registry.AgentDefinition;
import dev.switchboard.registry.AgentKind;
import dev.switchboard.registry.AgentKindConflictException;
import dev.switchboard.registry.AgentNotFoundException;
import dev.switchboard.registry.AgentVersionNotFoundException;
import dev.switchboard.registry.InvalidAgentException;
import dev.switchboard.registry.RollbackRequest;
import dev.switchboard.registry.RolloutChange;
import dev.switchboard.registry.RolloutConflictException;
import dev.switchboard.registry.VersionDefinition;
import dev.switchboard.registry.client.AgentCardClient;
import dev.switchboard.registry.event.AgentEvent;
import dev.switchboard.registry.event.AgentEventPublisher;
import dev.switchboard.registry.repository.AgentRepository;
import dev.switchboard.registry.repository.AgentWrite;
import dev.switchboard.registry.store.AgentCache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The registry's rules. Reads go to the Redis cache and fall back to PostgreSQL (repopulating the cache; a list
 * read re-reads only the agents written since they were cached); every write goes to PostgreSQL first, then, once
 * committed, invalidates that agent in the cache (O(1)) and publishes one event per real change on
 * {@code sb:events:agents}, carrying the agent as it is now.
 */
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class);

    private final AgentRepository repository;
    private final AgentCache cache;
    private final AgentEventPublisher events;
    private final RegistryMetrics metrics;
    private final AgentCardClient cards;
    private final OutboundAddressPolicy addresses;

    /** Constructor injection. */
    public AgentService(
            AgentRepository repository,
            AgentCache cache,
            AgentEventPublisher events,
            RegistryMetrics metrics,
            AgentCardClient cards,
            OutboundAddressPolicy addresses) {
        this.cards = cards;
        this.addresses = addresses;
        this.repository = repository;
        this.cache = cache;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Result of a registration.
     *
     * @param agent   the agent as stored
     * @param created whether it was new (201) rather than existing (200)
     */
    public record Registration(Agent agent, boolean created) {}

    /**
     * Result of a heartbeat.
     *
     * @param name          the agent
     * @param status        its status after the heartbeat
     * @param lastHeartbeat the recorded heartbeat time
     */
    public record Heartbeat(String name, String status, Instant lastHeartbeat) {}

    /**
     * Lists agents sorted by name, optionally only those with {@code capability} and/or {@code status}.
     *
     * @param capability capability tag or {@code null}
     * @param status     status wire value or {@code null}
     */
    public Uni<List<Agent>> listAgents(String capability, String status) {
        return cache.listAgents()
                .chain(view -> {
                    if (view.current()) {
                        return Uni.createFrom().item(view.agents());
                    }
                    if (view.complete()) { // only the agents written since they were cached are read again
                        return repository
                                .findAgents(view.stale())
                                .call(found -> cache.storeAgents(view.stale(), found, view.generation()))
                                .map(found -> merge(view.agents(), found));
                    }
                    return repository.listAgents().call(agents -> cache.storeAllAgents(agents, view.generation()));
                })
                .map(agents -> agents.stream()
                        .filter(a -> capability == null || a.capabilities().contains(capability))
                        .filter(a -> status == null || status.equals(a.status()))
                        .toList());
    }

    private static List<Agent> merge(List<Agent> cached, List<Agent> fresh) {
        java.util.TreeMap<String, Agent> byName = new java.util.TreeMap<>();
        cached.forEach(a -> byName.put(a.name(), a));
        fresh.forEach(a -> byName.put(a.name(), a));
        return List.copyOf(byName.values());
    }

    /**
     * @return the agent named {@code name}
     * @throws AgentNotFoundException (as a failure) if there is none
     */
    public Uni<Agent> findAgent(String name) {
        return cache.findAgent(name)
                .chain(cached -> cached != null
                        ? Uni.createFrom().item(cached)
                        : cache.generation()
                                .chain(generation -> repository
                                        .findAgent(name)
                                        .call(agent -> agent == null
                                                ? Uni.createFrom().voidItem()
                                                : cache.storeAgent(agent, generation))))
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name));
    }

    /**
     * Idempotent register by name: inserts, updates if the content differs (revision + 1), or leaves the row
     * alone. Concurrent calls for one name end in one consistent row.
     *
     * @param definition validated body; {@code name} is required
     * @throws InvalidAgentException (as a failure) on a missing name or a broken rule
     */
    public Uni<Registration> registerAgent(AgentDefinition definition) {
        if (definition.name() == null) {
            return Uni.createFrom().failure(InvalidAgentException.of("name", "must not be null"));
        }
        return checkRules(definition)
                .chain(() -> repository.registerAgent(definition.normalized(definition.name())))
                .invoke(write -> metrics.registration(write.change() == AgentWrite.Change.CREATED, write.changed()))
                .call(write -> afterWrite(
                        write,
                        write.change() == AgentWrite.Change.CREATED ? AgentEvent.REGISTERED : AgentEvent.UPDATED))
                .map(write -> new Registration(write.agent(), write.change() == AgentWrite.Change.CREATED));
    }

    /**
     * Replaces the definition of an existing agent (revision + 1 if it differs).
     *
     * @throws AgentNotFoundException (as a failure) if there is none
     * @throws InvalidAgentException  (as a failure) if the body names another agent or breaks a rule
     */
    public Uni<Agent> updateAgent(String name, AgentDefinition definition) {
        if (definition.name() != null && !definition.name().equals(name)) {
            return Uni.createFrom().failure(InvalidAgentException.of("name", "must equal the name in the path"));
        }
        return checkRules(definition)
                .chain(() -> repository.updateAgent(name, definition.normalized(name)))
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                .call(write -> afterWrite(write, AgentEvent.UPDATED))
                .map(AgentWrite::agent);
    }

    /**
     * Deletes an agent and publishes {@code agent.deleted}.
     *
     * @throws AgentNotFoundException (as a failure) if there is none
     */
    public Uni<Void> deleteAgent(String name) {
        return repository
                .deleteAgent(name)
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                .invoke(deleted -> LOG.infof("Deleted agent %s (revision %d)", name, deleted.revision()))
                .call(deleted -> announce(AgentEvent.DELETED, deleted, null))
                .replaceWithVoid();
    }

    /**
     * Sets the status; a no-op (no revision, no event) if it already is {@code status}.
     *
     * @param status a valid status wire value
     * @throws AgentNotFoundException (as a failure) if there is none
     */
    public Uni<Agent> changeStatus(String name, String status) {
        return repository
                .changeStatus(name, status)
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                .call(write -> afterWrite(write, AgentEvent.STATUS_CHANGED))
                .map(AgentWrite::agent);
    }

    /**
     * Records a heartbeat; an {@code unhealthy} agent becomes {@code active} (event {@code agent.status_changed}).
     *
     * @throws AgentNotFoundException (as a failure) if there is none
     */
    public Uni<Heartbeat> recordHeartbeat(String name) {
        return repository
                .recordHeartbeat(name)
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                // the heartbeat time is part of the cached JSON: invalidate even without a status change
                .call(write -> write.changed() ? afterWrite(write, AgentEvent.STATUS_CHANGED) : cache.invalidate(name))
                .map(write -> new Heartbeat(
                        name, write.agent().status(), write.agent().lastHeartbeat()));
    }

    /**
     * Registers (or refreshes) an A2A agent from its Agent Card: fetches the card, maps it with
     * {@link AgentCards#toDefinition}, then registers like {@link #registerAgent}.
     *
     * @throws dev.switchboard.registry.AgentCardUnreachableException (502) when the card cannot be fetched
     * @throws dev.switchboard.registry.InvalidAgentCardException (422) when it lacks name, description or url
     * @throws InvalidAgentException (400) when the card URL is not a URL with a host, or it or the card's url is
     *         an address {@code AGENT_URL_ALLOW} does not allow (the card's host is resolved: every address counts)
     * @throws AgentKindConflictException (409) when an agent of another kind has the name
     */
    public Uni<Registration> registerA2aAgent(A2aRegistration registration) {
        URI cardUrl;
        try {
            cardUrl = new URI(registration.cardUrl().strip());
        } catch (URISyntaxException e) {
            cardUrl = null;
        }
        if (cardUrl == null || cardUrl.getHost() == null) {
            // the pattern lets through what is no URL at all, e.g. http://[ or http://?x
            return Uni.createFrom().failure(InvalidAgentException.of("card_url", "must be an http(s) URL"));
        }
        URI url = cardUrl;
        return checkCardAddress(url)
                .chain(() -> cards.fetchCard(url))
                .map(card -> AgentCards.toDefinition(
                        card, registration.cardUrl().strip(), registration.name(), registration.status()))
                .call(this::refuseOtherKind)
                .chain(this::registerAgent);
    }

    /**
     * Resolves the card's host and refuses it when any of its addresses is not allowed; runs on a worker thread
     * (DNS blocks). A host that does not resolve is unreachable (502).
     */
    private Uni<Void> checkCardAddress(URI cardUrl) {
        return Uni.createFrom()
                .item(() -> {
                    try {
                        return addresses.resolve(cardUrl.getHost());
                    } catch (UnknownHostException e) {
                        throw new AgentCardUnreachableException(cardUrl.toString(), e);
                    } catch (AddressNotAllowedException e) {
                        throw InvalidAgentException.of("card_url", e.getMessage());
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    /** A card registers or refreshes an {@code a2a} agent only: an agent of another kind keeps its name. */
    private Uni<Void> refuseOtherKind(AgentDefinition definition) {
        return repository
                .findAgent(definition.name())
                .invoke(existing -> {
                    if (existing != null && !AgentKind.A2A.wire().equals(existing.kind())) {
                        throw new AgentKindConflictException(existing.name(), existing.kind());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Registers or replaces a canary version of {@code name} ({@code agent.rollout_changed}).
     *
     * @throws AgentNotFoundException   (as a failure) if there is no such agent
     * @throws RolloutConflictException (as a failure) for the stable version or weights above 100
     * @throws InvalidAgentException    (as a failure) for an endpoint whose address is not allowed
     */
    public Uni<Agent> registerVersion(String name, VersionDefinition definition) {
        List<Problem.FieldError> errors = endpointViolations(definition.endpoint());
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new InvalidAgentException(errors));
        }
        return rolloutWrite(
                name,
                repository.upsertVersion(name, definition),
                "version " + definition.version() + " registered with weight "
                        + (definition.weight() == null ? 0 : definition.weight()));
    }

    /**
     * Sets a canary's traffic weight ({@code POST /agents/{name}/rollout}).
     *
     * @throws AgentNotFoundException        (as a failure) if there is no such agent
     * @throws AgentVersionNotFoundException (as a failure) if it has no such canary
     * @throws RolloutConflictException      (as a failure) if the canaries would exceed 100 %
     */
    public Uni<Agent> rollout(String name, RolloutChange change) {
        return rolloutWrite(
                name,
                repository.setWeight(name, change.version(), change.weight()),
                "version " + change.version() + " weight " + change.weight());
    }

    /**
     * Promotes a canary to stable ({@code POST /agents/{name}/promote}).
     *
     * @throws AgentNotFoundException        (as a failure) if there is no such agent
     * @throws AgentVersionNotFoundException (as a failure) if it has no such canary
     */
    public Uni<Agent> promote(String name, String version) {
        return rolloutWrite(name, repository.promote(name, version), "version " + version + " promoted to stable");
    }

    /**
     * Rolls back one canary (or all of them) to weight 0; idempotent (a repeated rollback publishes nothing).
     * Used by operators and by supervisors' automatic rollback (a canary whose error rate or p95 latency passes its
     * limit); counted in {@code registry_rollbacks_total}.
     *
     * @throws AgentNotFoundException        (as a failure) if there is no such agent
     * @throws AgentVersionNotFoundException (as a failure) if {@code version} is given and unknown
     */
    public Uni<Agent> rollback(String name, RollbackRequest request) {
        String version = request == null ? null : request.version();
        String reason = request == null || request.reason() == null ? "manual" : request.reason();
        return repository
                .rollback(name, version)
                .onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                .invoke(write -> {
                    if (write.changed()) {
                        metrics.rollback(name);
                        LOG.warnf(
                                "Rolled back agent %s %s (revision %d): %s",
                                name,
                                version == null ? "all canaries" : "version " + version,
                                write.agent().revision(),
                                reason);
                    }
                })
                .call(write -> write.changed()
                        ? announce(
                                AgentEvent.ROLLOUT_CHANGED,
                                write.agent(),
                                "rollback " + (version == null ? "all" : version) + ": " + reason)
                        : Uni.createFrom().voidItem())
                .map(AgentWrite::agent);
    }

    /**
     * Removes a canary version.
     *
     * @throws AgentNotFoundException        (as a failure) if there is no such agent
     * @throws AgentVersionNotFoundException (as a failure) if it has no such canary
     */
    public Uni<Agent> deleteVersion(String name, String version) {
        return rolloutWrite(name, repository.deleteVersion(name, version), "version " + version + " removed");
    }

    private Uni<Agent> rolloutWrite(String name, Uni<AgentWrite> write, String what) {
        return write.onItem()
                .ifNull()
                .failWith(() -> new AgentNotFoundException(name))
                .invoke(w -> {
                    if (w.changed()) {
                        LOG.infof(
                                "Agent %s rollout: %s (revision %d, stable weight %d)",
                                name, what, w.agent().revision(), w.agent().stableWeight());
                    }
                })
                .call(w -> w.changed()
                        ? announce(AgentEvent.ROLLOUT_CHANGED, w.agent(), what)
                        : Uni.createFrom().voidItem())
                .map(AgentWrite::agent);
    }

    /**
     * After a committed write: invalidate the cache, then publish {@code eventType} if the row really
     * changed (an insert is always {@code agent.registered}). Never fails.
     */
    Uni<Void> afterWrite(AgentWrite write, String eventType) {
        if (!write.changed()) {
            return Uni.createFrom().voidItem();
        }
        Agent agent = write.agent();
        String type = write.change() == AgentWrite.Change.CREATED ? AgentEvent.REGISTERED : eventType;
        LOG.infof(
                "Agent %s %s (revision %d, status %s)",
                agent.name(), type.substring("agent.".length()), agent.revision(), agent.status());
        return announce(type, agent, null);
    }

    /**
     * Makes a committed change of {@code agent} visible: drops its cached copy, then publishes {@code type} carrying
     * the agent as it now is (for a deletion, its last row) with {@code reason} (or {@code null}). Never fails.
     */
    private Uni<Void> announce(String type, Agent agent, String reason) {
        return cache.invalidate(agent.name()).chain(() -> events.publish(type, agent, reason));
    }

    /**
     * The endpoint's address against {@code AGENT_URL_ALLOW} (literal addresses and {@code localhost}; a host name
     * is judged by the supervisors each time they resolve it).
     */
    private List<Problem.FieldError> endpointViolations(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return List.of();
        }
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            return List.of(new Problem.FieldError("endpoint", "must be an http(s) URL"));
        }
        return addresses
                .refusalWithoutDns(uri)
                .map(reason -> List.of(new Problem.FieldError("endpoint", reason)))
                .orElse(List.of());
    }

    private Uni<Void> checkRules(AgentDefinition definition) {
        List<Problem.FieldError> errors = new ArrayList<>(definition.ruleViolations());
        errors.addAll(endpointViolations(definition.endpoint()));
        return errors.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new InvalidAgentException(errors));
    }
}
