package dev.switchboard.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import redis.embedded.RedisServer;

/**
 * Starts an embedded PostgreSQL (zonky binaries from Maven) and an embedded Redis (binary shipped in the
 * embedded-redis jar) for local use, writes their URLs as {@code REDIS_URL=...}/{@code DATABASE_URL=...}
 * lines to the file given as first argument, and runs until it is terminated (SIGTERM stops both).
 *
 * <p>Arguments: {@code <env-file> <data-dir> [postgres-port] [redis-port]} (ports default 55432, 56379).
 */
public final class DevInfra {

    private DevInfra() {}

    /**
     * Entry point.
     *
     * @throws IOException if a server cannot start or the env file cannot be written
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: DevInfra <env-file> <data-dir> [postgres-port] [redis-port]");
            System.exit(2);
        }
        Path envFile = Path.of(args[0]);
        Path dataDir = Path.of(args[1]);
        int pgPort = args.length > 2 ? Integer.parseInt(args[2]) : 55432;
        int redisPort = args.length > 3 ? Integer.parseInt(args[3]) : 56379;
        Files.createDirectories(dataDir);

        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(pgPort)
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start();
        RedisServer redis = new RedisServer(redisPort);
        redis.start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                redis.stop();
                            } catch (IOException e) {
                                System.err.println("embedded Redis did not stop cleanly: " + e.getMessage());
                            }
                            try {
                                postgres.close();
                            } catch (IOException e) {
                                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                            }
                            stopped.countDown();
                        },
                        "dev-infra-shutdown"));

        String env = "REDIS_URL=redis://127.0.0.1:" + redisPort + "\n" + "DATABASE_URL=postgresql://postgres@127.0.0.1:"
                + pgPort + "/postgres\n";
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("dev-infra ready: PostgreSQL on " + pgPort + ", Redis on " + redisPort);
        stopped.await();
    }
}
