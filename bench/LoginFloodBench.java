/*
 * Login-flood benchmark, run by bench/login-flood.sh with the JDK's source launcher (java bench/LoginFloodBench.java):
 * no build, no dependencies. Measures what a flood of failed logins costs chat: chat-turn latency p50/p99 with the
 * supervisor otherwise idle, then again while FLOOD failed logins are kept in flight, and prints the p99 ratio.
 *
 * 1. Warm-up: WARMUP chat turns, not measured.
 * 2. Idle: TURNS chat turns, CLIENTS at a time back to back (closed loop), each its own user and session.
 * 3. Flood: the same, while FLOOD login requests with wrong passwords are sent. MODE=burst: FLOOD sent in parallel
 *    once, as the phase starts (the attack as a single wave); MODE=sustained (default): FLOOD kept in flight for the
 *    whole phase (each answered one is replaced at once, hundreds of requests a second). SPREAD=0: all from this client's address (the per-address limits answer them); SPREAD=1:
 *    each from its own X-Forwarded-For address (needs TRUSTED_PROXIES to include this client; the limits then let
 *    every one reach the password check, which the hashing pool bounds). During the flood, the administrator logs in
 *    from another address (X-Forwarded-For 198.51.100.1; from the direct address when SPREAD=0 and the proxy is not
 *    trusted) and the answer is reported.
 * The flood, the chat clients and the administrator each have their own HTTP client (connection pool and selector
 * thread), so that the flood's connections do not queue the measured requests inside this process.
 * Prints a Markdown table on stdout.
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class LoginFloodBench {

    static final HttpClient FLOOD_HTTP = client();
    static final HttpClient CHAT_HTTP = client();
    static final HttpClient ADMIN_HTTP = client();

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        String url = env("SUPERVISOR_URL", "http://localhost:8000");
        String key = env("BENCH_API_KEY", "");
        String adminPassword = env("ADMIN_PASSWORD", "");
        int clients = Integer.parseInt(env("CLIENTS", "4"));
        int turns = Integer.parseInt(env("TURNS", "200"));
        int warmup = Integer.parseInt(env("WARMUP", "100"));
        int flood = Integer.parseInt(env("FLOOD", "500"));
        boolean spread = env("SPREAD", "0").equals("1");
        boolean burst = env("MODE", "sustained").equals("burst");
        String run = Long.toHexString(System.nanoTime());

        chat(url, key, clients, warmup, run + "w");
        Phase idle = chat(url, key, clients, turns, run + "i");
        AdminLogin idleAdmin = adminLogin(url, adminPassword);

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicBoolean refill = new AtomicBoolean(!burst);
        Map<Integer, AtomicLong> floodStatuses = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        for (int i = 0; i < flood; i++) {
            floodOne(url, spread, run, flooding, refill, floodStatuses, inFlight, sent);
        }
        AdminLogin floodAdmin = adminLogin(url, adminPassword);
        Phase flooded = chat(url, key, clients, turns, run + "f");
        flooding.set(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting for the flood's last answers, not ordering events
        }

        Map<Integer, Long> statuses = new TreeMap<>();
        floodStatuses.forEach((k, v) -> statuses.put(k, v.get()));
        System.out.println("| phase | chat turns | errors | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("idle", idle);
        row("during the flood", flooded);
        System.out.printf("%n- p99 during the flood / idle: **%.2f**%n", (double) pct(flooded.sorted(), 99) / Math.max(1, pct(idle.sorted(), 99)));
        System.out.printf("- flood: %d failed logins %s (%s), %d sent, answers %s, %d unanswered after 120 s%n",
                flood, burst ? "sent in parallel once" : "kept in flight", spread ? "each from its own X-Forwarded-For address" : "all from one address", sent.get(),
                statuses, inFlight.get());
        System.out.printf("- the administrator's login from another address during the flood: %s (idle: %s)%n",
                floodAdmin, idleAdmin);
    }

    /** The administrator's login from another address: its HTTP status (0: not tried) and how long it took. */
    record AdminLogin(int status, long ms) {
        @Override
        public String toString() {
            return status == 0 ? "not tried (ADMIN_PASSWORD unset)" : "HTTP " + status + " in " + ms + " ms";
        }
    }

    static AdminLogin adminLogin(String url, String password) throws Exception {
        if (password.isEmpty()) {
            return new AdminLogin(0, 0);
        }
        long start = System.nanoTime();
        int status = login(url, "admin", password, "198.51.100.1").statusCode();
        return new AdminLogin(status, (System.nanoTime() - start) / 1_000_000);
    }

    /** One phase: the sorted latencies (ms) of the successful turns and the count of failed ones. */
    record Phase(List<Long> sorted, int errors) {}

    static void floodOne(String url, boolean spread, String run, AtomicBoolean flooding, AtomicBoolean refill,
            Map<Integer, AtomicLong> statuses, AtomicInteger inFlight, AtomicLong sent) {
        if (!flooding.get()) {
            return;
        }
        long n = sent.incrementAndGet();
        String address = spread
                ? "10." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(256)
                        + "." + ThreadLocalRandom.current().nextInt(1, 255)
                : null;
        inFlight.incrementAndGet();
        FLOOD_HTTP.sendAsync(loginRequest(url, "flood-" + run + "-" + (n % 50), "wrong-password", address),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    statuses.computeIfAbsent(error == null ? response.statusCode() : -1, k -> new AtomicLong())
                            .incrementAndGet();
                    inFlight.decrementAndGet();
                    if (refill.get()) {
                        floodOne(url, spread, run, flooding, refill, statuses, inFlight, sent);
                    }
                });
    }

    static HttpRequest loginRequest(String url, String username, String password, String address) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
        if (address != null) {
            request.header("X-Forwarded-For", address);
        }
        return request.build();
    }

    static HttpResponse<String> login(String url, String username, String password, String address) throws Exception {
        return ADMIN_HTTP.send(loginRequest(url, username, password, address), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the latencies of the successful turns and the count of failed ones */
    static Phase chat(String url, String key, int clients, int turns, String run) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < turns; i = next.getAndIncrement()) {
                    String id = run + "-" + i;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/chat"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Check my calendar for tomorrow "
                                    + id + "\",\"session_id\":\"flood-s-" + id + "\",\"user_id\":\"flood-u-" + id
                                    + "\"}"))
                            .build();
                    long start = System.nanoTime();
                    try {
                        int status = CHAT_HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200) {
                            latencies.add((System.nanoTime() - start) / 1_000_000);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Phase(sorted, errors.get());
    }

    static void row(String phase, Phase result) {
        List<Long> sorted = result.sorted();
        System.out.printf("| %s | %d | %d | %d | %d | %d |%n", phase, sorted.size(), result.errors(),
                pct(sorted, 50), pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
