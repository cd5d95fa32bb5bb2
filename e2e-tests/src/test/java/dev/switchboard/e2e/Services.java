package dev.switchboard.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The four packaged services of one end-to-end test class, on one Redis and PostgreSQL ({@link Infrastructure}).
 *
 * <p>A test class registers it with {@code @RegisterExtension}, says what it needs (registry replicas, supervisor
 * replicas, extra environment), calls {@link #start()} from its {@code @BeforeAll} once its own fakes run (their URLs
 * go into the supervisors' environment) and {@link #stop()} from its {@code @AfterAll}. As an extension it starts
 * again, before each test, whatever an earlier test left killed, stopped or draining, so no test depends on how the
 * one before it ended; and when a test fails it prints the tail of every service log beside the failure.
 */
final class Services implements BeforeEachCallback, TestWatcher {

    /** The supervisor's module, for a test that runs a supervisor of its own beside these. */
    static final String SUPERVISOR = "supervisor-service";

    private static final String REGISTRY = "agent-registry-service";
    private static final String STATE = "state-service";
    private static final String PROMPTS = "prompt-service";

    /** Bounds one start of a tier; each process also gives up on its own when not ready in time. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** How long a live process may take to answer ready before it counts as down: it may be busy. */
    private static final Duration READY_BOUND = Duration.ofSeconds(10);
    /** How much of each service log a failure prints: enough for the last requests and a stack trace. */
    private static final int LOG_TAIL_BYTES = 16 * 1024;

    private int registryCount = 1;
    private final Map<String, String> registryEnv = new HashMap<>();
    private int supervisorCount = 1;
    private IntFunction<String> supervisorId = i -> "e2e-supervisor-" + i;
    private final Map<String, String> supervisorEnv = new HashMap<>();
    private final Map<Integer, Map<String, String>> replicaEnv = new HashMap<>();
    private Runnable afterPeers = () -> {};
    private UnaryOperator<String> chatPathRedis = UnaryOperator.identity();
    private UnaryOperator<String> chatPathDatabase = UnaryOperator.identity();

    private Infrastructure infra;
    private final List<ServiceProcess> registries = new ArrayList<>();
    private ServiceProcess state;
    private ServiceProcess prompts;
    private final List<ServiceProcess> supervisors = new ArrayList<>();

    /**
     * Runs {@code count} registry replicas instead of one; the first is the one the supervisors read, the others
     * start after it (one Flyway migration, then they find the schema ready).
     */
    Services registries(int count) {
        this.registryCount = count;
        return this;
    }

    /** Adds {@code env} to every registry replica's environment. */
    Services registryEnv(Map<String, String> env) {
        registryEnv.putAll(env);
        return this;
    }

    /** Runs {@code count} supervisor replicas, replica {@code i} with {@code SUPERVISOR_ID} {@code id.apply(i)}. */
    Services supervisors(int count, IntFunction<String> id) {
        this.supervisorCount = count;
        this.supervisorId = id;
        return this;
    }

    /** Adds {@code env} to every supervisor replica's environment (over the peer URLs this class sets). */
    Services supervisorEnv(Map<String, String> env) {
        supervisorEnv.putAll(env);
        return this;
    }

    /** Adds {@code env} to supervisor replica {@code replica}'s environment only (over everything else). */
    Services supervisorEnv(int replica, Map<String, String> env) {
        replicaEnv.computeIfAbsent(replica, i -> new HashMap<>()).putAll(env);
        return this;
    }

    /**
     * Runs {@code hook} once in {@link #start()}, when registry, state and prompts answer and before the supervisors
     * start: e.g. to point a test's proxy at {@link #state()}, which a replica then reaches through it.
     */
    Services afterPeersStarted(Runnable hook) {
        this.afterPeers = hook;
        return this;
    }

    /**
     * Connects state-service and the supervisors to Redis and PostgreSQL through other addresses, e.g. a
     * {@link TcpProxy}'s: at start each function gets the real server's URL and returns the one those services are
     * given. The registry and prompt-service keep their direct connections, so an outage a test makes reaches the
     * chat path only, and the test's own reads ({@link #redis}) stay direct too.
     */
    Services chatPathThrough(UnaryOperator<String> redis, UnaryOperator<String> database) {
        this.chatPathRedis = redis;
        this.chatPathDatabase = database;
        return this;
    }

    /**
     * Resolves Redis and PostgreSQL, then starts registry, state and prompts, further registry replicas, and the
     * supervisors, each tier in parallel and bounded; a service that does not come up fails the start with its log
     * printed.
     */
    Services start() {
        E2eAuth.adminByDefault();
        infra = Infrastructure.resolve();
        // the tests' agents (WireMock, in-test servers) listen on loopback, which AGENT_URL_ALLOW must allow
        Map<String, String> common = Map.of(
                "REDIS_URL",
                infra.redisUrl,
                "DATABASE_URL",
                infra.databaseUrl,
                "AGENT_URL_ALLOW",
                "127.0.0.0/8,::1,localhost");
        Map<String, String> registryAll = new HashMap<>(common);
        registryAll.putAll(registryEnv);
        for (int i = 0; i < registryCount; i++) {
            registries.add(new ServiceProcess(REGISTRY, ServiceProcess.freePort(), registryAll));
        }
        Map<String, String> chatPath = new HashMap<>(common);
        chatPath.put("REDIS_URL", chatPathRedis.apply(infra.redisUrl));
        chatPath.put("DATABASE_URL", chatPathDatabase.apply(infra.databaseUrl));
        state = new ServiceProcess(STATE, ServiceProcess.freePort(), chatPath);
        prompts = new ServiceProcess(PROMPTS, ServiceProcess.freePort(), common);
        for (int i = 0; i < supervisorCount; i++) {
            Map<String, String> env = new HashMap<>(chatPath);
            env.put("AGENT_REGISTRY_URL", registry().url());
            env.put("STATE_SERVICE_URL", state.url());
            env.put("PROMPT_SERVICE_URL", prompts.url());
            env.put("SUPERVISOR_ID", supervisorId.apply(i));
            env.putAll(supervisorEnv);
            env.putAll(replicaEnv.getOrDefault(i, Map.of()));
            supervisors.add(new ServiceProcess(SUPERVISOR, ServiceProcess.freePort(), env));
        }
        List<List<ServiceProcess>> tiers = tiers();
        for (int i = 0; i < tiers.size(); i++) {
            if (i == tiers.size() - 1) {
                afterPeers.run(); // the last tier is the supervisors'
            }
            startAll(tiers.get(i));
        }
        return this;
    }

    /**
     * Stops every process in the reverse order of {@link #start()}: the supervisors first, since they call the others
     * and not the other way round. Then drops what {@link Infrastructure} created. Safe after a start that failed
     * half-way, and a second time.
     */
    void stop() {
        List<ServiceProcess> all = new ArrayList<>();
        tiers().forEach(all::addAll);
        for (ServiceProcess p : all.reversed()) {
            p.stop();
        }
        if (infra != null) {
            infra.release();
            infra = null;
        }
    }

    /**
     * Before each test: any process an earlier test killed, stopped or left draining (also when that test failed
     * half-way) is started again on its port and with its id, tier by tier as at the start.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        for (List<ServiceProcess> tier : tiers()) {
            startAll(notRunning(tier));
        }
    }

    /** A failed test prints what the services logged, where the test report shows it. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("=== " + context.getDisplayName() + " failed: the services' logs ===");
        for (List<ServiceProcess> tier : tiers()) {
            tier.forEach(Services::printLogTail);
        }
    }

    /** @return the first registry replica, the one the supervisors read */
    ServiceProcess registry() {
        return registries.get(0);
    }

    /** @return registry replica {@code i}, in start order */
    ServiceProcess registry(int i) {
        return registries.get(i);
    }

    ServiceProcess state() {
        return state;
    }

    ServiceProcess prompts() {
        return prompts;
    }

    /** @return supervisor replica {@code i} */
    ServiceProcess supervisor(int i) {
        return supervisors.get(i);
    }

    /** @return every supervisor replica, in index order */
    List<ServiceProcess> supervisors() {
        return List.copyOf(supervisors);
    }

    /** Runs a query on the suite's database; see {@link Infrastructure#query(String, String...)}. */
    List<String> query(String sql, String... params) {
        if (infra == null) {
            throw new IllegalStateException("services not started");
        }
        return infra.query(sql, params);
    }

    /** @return the number a {@code count(*)} query answers */
    long count(String sql, String... params) {
        return Long.parseLong(query(sql, params).getFirst());
    }

    /** Runs one command on the suite's Redis; see {@link Infrastructure#redis(String...)}. */
    List<String> redis(String... command) {
        if (infra == null) {
            throw new IllegalStateException("services not started");
        }
        return infra.redis(command);
    }

    /**
     * Counts rows of the services' database: {@code sql} selects one number and takes one text parameter.
     */
    long count(String sql, String parameter) {
        if (infra == null) {
            throw new IllegalStateException("services not started");
        }
        return infra.count(sql, parameter);
    }

    /** The start order: the first registry with state and prompts, the other registries, the supervisors. */
    private List<List<ServiceProcess>> tiers() {
        List<ServiceProcess> peers = new ArrayList<>();
        if (!registries.isEmpty()) {
            peers.add(registries.get(0));
        }
        if (state != null) {
            peers.add(state);
            peers.add(prompts);
        }
        List<ServiceProcess> more = registries.isEmpty() ? List.of() : registries.subList(1, registries.size());
        return List.of(peers, List.copyOf(more), List.copyOf(supervisors));
    }

    /**
     * Starts {@code processes} in parallel and waits (bounded) until each is ready; when one is not, prints its log
     * and fails.
     */
    private static void startAll(List<ServiceProcess> processes) {
        if (processes.isEmpty()) {
            return;
        }
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ServiceProcess>> started = new ArrayList<>();
            for (ServiceProcess p : processes) {
                started.add(starting.submit(p::start));
            }
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            for (int i = 0; i < processes.size(); i++) {
                try {
                    started.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    printLogTail(processes.get(i));
                    starting.shutdownNow();
                    throw new IllegalStateException(
                            processes.get(i).module() + " on port "
                                    + processes.get(i).port() + " did not start",
                            e instanceof ExecutionException ? e.getCause() : e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting services", e);
                }
            }
        }
    }

    /**
     * Of {@code processes}, those not ready within {@link #READY_BOUND}; each is stopped (if still alive) so that it
     * can be started again on its port.
     */
    private static List<ServiceProcess> notRunning(List<ServiceProcess> processes) {
        List<ServiceProcess> down = new ArrayList<>();
        for (ServiceProcess p : processes) {
            if (!p.readyWithin(READY_BOUND)) {
                p.stop();
                down.add(p);
            }
        }
        return down;
    }

    private static void printLogTail(ServiceProcess process) {
        Path log = process.log();
        System.err.println("--- " + process.module() + " on port " + process.port() + ": " + log + " (tail) ---");
        if (!Files.exists(log)) {
            System.err.println("(no log)");
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - LOG_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            System.err.println(new String(tail, StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("(cannot read: " + e.getMessage() + ")");
        }
    }
}
