package dev.switchboard.supervisor.sessions;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with {@code EVALSHA} (its SHA-1 computed once), falling back to {@code EVAL} when Redis does
 * not know it yet ({@code NOSCRIPT}: first use, Redis restart or {@code SCRIPT FLUSH}); {@code EVAL} caches it
 * again, so later calls send only the hash.
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    /** @param source the Lua source */
    public RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Runs the script.
     *
     * @param redis the data source
     * @param keys  KEYS[1..n]
     * @param args  ARGV[1..m]
     * @return the script's reply
     */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, String... args) {
        return redis.execute("EVALSHA", arguments(sha, keys, args))
                .onFailure(RedisScript::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", arguments(source, keys, args)));
    }

    private static String[] arguments(String script, List<String> keys, String... args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.length);
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
