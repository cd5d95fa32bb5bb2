/*
 * Registry benchmark (registration latency, propagation, heartbeats against their targets), run by bench/registry.sh
 * with the JDK's source launcher (java bench/RegistryBench.java): no build, no dependencies.
 *
 * 0. Floor: FLOOR GET /q/health/live on the registry, paced at RATE per second while 1 runs: what any request costs on
 *    this machine at that moment (HTTP, scheduling, the VM's jitter), so that the rows below can be read against it.
 * 1. Registration latency at a steady rate: PACED POST /agents of new agents (unique names, kind remote), started at
 *    RATE per second whatever the answers do (open loop: latency counts from the planned start, so a slow answer
 *    cannot hide the queue behind it); p50/p99/max; failures (non-2xx) counted. This row carries the target.
 * 1a. Registration burst: REGISTRATIONS POST /agents, CONCURRENCY at a time back to back (closed loop): the rate the
 *    registry sustains and the latency when saturated (queueing, not a target).
 * 1b. Burst backlog: after the last registration answered, until every supervisor lists every agent of the burst
 *    (reported, not a target; the propagation below starts after it, so it measures single registrations).
 * 2. Propagation delay: PROPAGATIONS times, register one new agent and poll GET /agents on every supervisor
 *    (served from its local agent cache; the cache and router index are swapped together, so present = routable)
 *    every POLL_MS until it is there; delay = first seen - registration answered, per supervisor; p50/p99/max.
 * 3. Heartbeats: HEARTBEATS POST /agents/{name}/heartbeat on the registered agents; success rate and latency.
 * Every agent it created is deleted at the end. Prints a Markdown section on stdout.
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public class RegistryBench {

    // HTTP/1.1, and polls bounded by a future timeout: one poll once hung for minutes past its request timeout
    // (the default HTTP/2 upgrade attempt over plain http is suspected)
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String registry = env("REGISTRY_URL", "http://localhost:8001");
        String[] supervisors = env("SUPERVISOR_URLS", "http://localhost:8000").split(",");
        int registrations = Integer.parseInt(env("REGISTRATIONS", "500"));
        int concurrency = Integer.parseInt(env("CONCURRENCY", "8"));
        int paced = Integer.parseInt(env("PACED", "300"));
        double rate = Double.parseDouble(env("RATE", "20"));
        int floorRequests = Integer.parseInt(env("FLOOR", "300"));
        int warmup = Integer.parseInt(env("WARMUP", "200"));
        int propagations = Integer.parseInt(env("PROPAGATIONS", "50"));
        int heartbeats = Integer.parseInt(env("HEARTBEATS", "1000"));
        long pollMs = Long.parseLong(env("POLL_MS", "2"));
        long timeoutMs = Long.parseLong(env("PROPAGATION_TIMEOUT_MS", "15000"));
        String prefix = "bench-reg-" + Long.toString(System.currentTimeMillis(), 36);
        List<String> created = Collections.synchronizedList(new ArrayList<>());

        try {
            // warm-up (JIT of freshly started JVMs): WARMUP registrations and empty requests, not measured
            for (int i = 0; i < warmup; i++) {
                register(registry, prefix + "-warm-" + i, created);
                send(authorized(URI.create(registry + "/q/health/live")).GET().build());
            }
            // 0 and 1, side by side so that both see the same machine: the floor (a request that does nothing) and
            // registrations, each at RATE per second, open loop
            var floorRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return pacedRun(floorRequests, rate, i -> send(authorized(URI.create(registry + "/q/health/live"))
                            .GET().build()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicInteger pacedFailures = new AtomicInteger();
            List<Double> pacedLatencies = pacedRun(paced, rate, i -> {
                int status = register(registry, prefix + "-paced-" + i, created);
                if (status / 100 != 2) {
                    pacedFailures.incrementAndGet();
                }
                return status;
            });
            List<Double> floor = floorRun.get();
            // 1a. registration burst (closed loop, saturating)
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < registrations; i++) {
                String name = prefix + "-" + i;
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    int status = register(registry, name, created);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (status / 100 != 2) {
                        failures.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();

            // 1b. the burst's backlog: until every supervisor lists every agent of the burst (so that the propagation
            //     below measures single registrations, not the queue the burst left behind)
            List<String> burst = new ArrayList<>();
            for (int i = 0; i < registrations; i++) {
                burst.add("\"" + prefix + "-" + i + "\"");
            }
            long burstEnd = System.nanoTime();
            List<Double> drains = new ArrayList<>();
            for (String supervisor : supervisors) {
                drains.add(waitForAll(supervisor.strip(), burst, burstEnd, timeoutMs * 4));
            }

            // 2. propagation register -> present in every supervisor's cache
            List<Double> delays = new ArrayList<>();
            int lost = 0;
            for (int i = 0; i < propagations; i++) {
                String name = prefix + "-prop-" + i;
                register(registry, name, created);
                long registered = System.nanoTime();
                for (String supervisor : supervisors) {
                    double delay = waitForAgent(supervisor.strip(), name, registered, pollMs, timeoutMs);
                    if (delay < 0) {
                        lost++;
                    } else {
                        delays.add(delay);
                    }
                }
            }

            // 3. heartbeats
            List<Double> beats = new ArrayList<>();
            int beatFailures = 0;
            for (int i = 0; i < heartbeats; i++) {
                String name = created.get(i % created.size());
                long t0 = System.nanoTime();
                int status = send(authorized(URI.create(registry + "/agents/" + name + "/heartbeat"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                beats.add((System.nanoTime() - t0) / 1e6);
                beatFailures += status == 200 ? 0 : 1;
            }

            System.out.printf("| measure | n | p50 ms | p99 ms | max ms | target | failures |%n|---|---:|---:|---:|---:|---|---:|%n");
            System.out.printf("| floor: GET /q/health/live on the registry, %.0f/s beside the next row | %d | %.1f | %.1f | %.1f | (what any request costs here) | |%n",
                    rate, floor.size(), pct(floor, 50), pct(floor, 99), pct(floor, 100));
            System.out.printf("| registration (POST /agents) at a steady %.0f/s, open loop | %d | %.1f | %.1f | %.1f | p99 < 10 ms (required: < 100 ms) | %d |%n",
                    rate, pacedLatencies.size(), pct(pacedLatencies, 50), pct(pacedLatencies, 99),
                    pct(pacedLatencies, 100), pacedFailures.get());
            System.out.printf("| registration burst (POST /agents, %d concurrent back to back: **%.0f/s** sustained) | %d | %.1f | %.1f | %.1f | (saturated: queueing, not a target) | %d |%n",
                    concurrency, registrations / seconds, latencies.size(), pct(latencies, 50), pct(latencies, 99),
                    pct(latencies, 100), failures.get());
            System.out.printf("| burst backlog: all %d agents of the burst in every supervisor's cache, after the last answer (per supervisor) | %d | %.1f | %.1f | %.1f | (not a target) | %d not done in %d ms |%n",
                    registrations, drains.size(), pct(drains, 50), pct(drains, 99), pct(drains, 100),
                    drains.stream().filter(d -> d < 0).count(), timeoutMs * 4);
            System.out.printf("| propagation register → in every supervisor's cache (%d supervisors) | %d | %.1f | %.1f | %.1f | p99 < 100 ms | %d not seen in %d ms |%n",
                    supervisors.length, delays.size(), pct(delays, 50), pct(delays, 99), pct(delays, 100), lost, timeoutMs);
            System.out.printf("| heartbeat (POST /agents/{name}/heartbeat) | %d | %.1f | %.1f | %.1f | 99.9 %% success | %d (%.2f %% success) |%n",
                    beats.size(), pct(beats, 50), pct(beats, 99), pct(beats, 100), beatFailures,
                    100.0 * (beats.size() - beatFailures) / Math.max(1, beats.size()));
        } finally {
            for (String name : created) {
                send(authorized(URI.create(registry + "/agents/" + name)).DELETE().build());
            }
        }
    }

    /**
     * Starts {@code n} calls at {@code rate} per second, on their planned start times whatever earlier calls do (open
     * loop, up to 64 in flight).
     *
     * @return each call's latency in ms, from its planned start to its answer
     */
    static List<Double> pacedRun(int n, double rate, java.util.function.IntFunction<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<Double>> futures = new ArrayList<>();
        long intervalNanos = (long) (1e9 / rate);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long planned = t0 + i * intervalNanos;
            long wait = planned - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int index = i;
            futures.add(pool.submit(() -> {
                call.apply(index);
                return (System.nanoTime() - planned) / 1e6;
            }));
        }
        List<Double> latencies = new ArrayList<>();
        for (Future<Double> f : futures) {
            latencies.add(f.get());
        }
        pool.shutdown();
        return latencies;
    }

    static int register(String registry, String name, List<String> created) {
        String body = "{\"name\":\"" + name + "\",\"description\":\"Benchmark agent " + name + "\","
                + "\"capabilities\":[\"bench\"],\"kind\":\"remote\",\"endpoint\":\"http://127.0.0.1:9/bench\","
                + "\"examples\":[\"benchmark utterance for " + name + "\"]}";
        int status = send(authorized(URI.create(registry + "/agents"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (status / 100 == 2) {
            created.add(name);
        }
        return status;
    }

    /** @return ms from {@code registered} until the supervisor lists the agent, or -1 on timeout */
    static double waitForAgent(String supervisor, String name, long registered, long pollMs, long timeoutMs)
            throws InterruptedException {
        long deadline = registered + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.sendAsync(authorized(URI.create(supervisor + "/agents")).GET()
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                        .get(6, java.util.concurrent.TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().contains("\"" + name + "\"")) {
                    return (System.nanoTime() - registered) / 1e6;
                }
            } catch (Exception e) {
                // keep polling until the deadline
            }
            Thread.sleep(pollMs);
        }
        return -1;
    }

    /** @return ms from {@code since} until the supervisor lists every quoted name, or -1 on timeout */
    static double waitForAll(String supervisor, List<String> quotedNames, long since, long timeoutMs)
            throws InterruptedException {
        long deadline = since + timeoutMs * 1_000_000;
        List<String> missing = new ArrayList<>(quotedNames);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.sendAsync(authorized(URI.create(supervisor + "/agents")).GET()
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                        .get(6, java.util.concurrent.TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    missing.removeIf(r.body()::contains);
                    if (missing.isEmpty()) {
                        return (System.nanoTime() - since) / 1e6;
                    }
                }
            } catch (Exception e) {
                // keep polling until the deadline
            }
            Thread.sleep(20);
        }
        return -1;
    }

    static int send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** A request with the admin key ({@code SWITCHBOARD_ADMIN_KEY}; every registry call needs credentials). */
    static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + env("SWITCHBOARD_ADMIN_KEY", ""));
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
