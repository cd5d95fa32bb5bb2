package dev.switchboard.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Switchboard service ({@code target/quarkus-app/quarkus-run.jar}) run as a child process. */
final class ServiceProcess {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final String module;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String module, int port, Map<String, String> env) {
        this.module = module;
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = root().resolve("e2e-tests/target/" + module + "-" + port + ".log");
    }

    static Path root() {
        return Path.of(System.getProperty("switchboard.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits (bounded) until {@code /q/health/ready} answers 200. */
    ServiceProcess start() {
        Path jar = root().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("not packaged: " + jar + " (run ./mvnw verify from the root)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        // A clean environment for the service: only what the test decides.
        environment.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.endsWith("_URL") || k.equals("PORT"));
        Map<String, String> all = new HashMap<>(E2eAuth.serviceEnv());
        all.putAll(env);
        all.put("PORT", String.valueOf(port));
        all.putIfAbsent("HOST", "127.0.0.1");
        environment.putAll(all);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module, e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see " + log);
            }
            if (ready()) {
                return this;
            }
            sleep(250);
        }
        stop();
        throw new IllegalStateException(module + " not ready within " + READY_TIMEOUT + "; see " + log);
    }

    /** @return whether {@code /q/health/ready} answers 200 now */
    boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create(url() + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param bound how long a live process may take to answer ready (it may be busy)
     * @return whether the process is alive and {@code /q/health/ready} answers 200 within {@code bound}
     */
    boolean readyWithin(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (isAlive()) {
            if (ready()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(250);
        }
        return false;
    }

    /** @return the module name, e.g. {@code supervisor-service} */
    String module() {
        return module;
    }

    /** @return the file the process's output is appended to, across restarts */
    Path log() {
        return log;
    }

    /** @return the environment this process is started with (PORT/HOST excluded) */
    Map<String, String> env() {
        return env;
    }

    /** @return whether the process was started and has not exited */
    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @return the OS process id; fails when not started */
    long pid() {
        if (process == null) {
            throw new IllegalStateException(module + " is not running");
        }
        return process.pid();
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} is SIGKILL on Linux): no shutdown hook, no graceful
     * shutdown, nothing released. Waits (bounded) until the process is gone.
     */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * SIGSTOP: freezes the process as a long GC pause or a suspended VM would (its sockets stay open, its timers do not
     * fire). Waits (bounded) until the kernel reports it stopped. {@link #resume()} thaws it; a test that pauses a
     * process resumes it in a {@code finally}.
     */
    void pause() {
        signal("STOP");
        Path stat = Path.of("/proc", Long.toString(pid()), "stat");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Files.exists(stat) && System.nanoTime() < deadline) {
            try {
                String line = Files.readString(stat);
                // state is the field after the parenthesised command name: T = stopped
                if (line.substring(line.lastIndexOf(')') + 2).startsWith("T")) {
                    return;
                }
            } catch (IOException e) {
                return; // no procfs to ask: SIGSTOP takes effect at once anyway
            }
            sleep(10);
        }
    }

    /** SIGCONT: thaws a process frozen by {@link #pause()}; harmless on a running one. */
    void resume() {
        if (isAlive()) {
            signal("CONT");
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + " to " + module, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
    }

    /** Sends SIGTERM ({@link Process#destroy()}) and returns at once; see {@link #awaitExit(Duration)}. */
    void sigterm() {
        if (process != null) {
            process.destroy();
        }
    }

    /**
     * Waits up to {@code bound} for the process to exit on its own (after {@link #sigterm()}); SIGKILLs it
     * when it has not.
     *
     * @return {@code true} when it exited within the bound
     */
    boolean awaitExit(Duration bound) {
        if (process == null) {
            return true;
        }
        try {
            boolean exited = process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        } finally {
            process = null;
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
