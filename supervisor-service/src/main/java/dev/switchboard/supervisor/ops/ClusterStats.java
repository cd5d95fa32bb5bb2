package dev.switchboard.supervisor.ops;

import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Cluster-wide turn counters in Redis, shared by every replica: one hash per second,
 * {@code sb:supervisor:stats:{epoch_second}}, with fields {@code turns}, {@code errors}, {@code method:<m>},
 * {@code agent:<a>}, {@code error:<slug>} (HINCRBY, EXPIRE {@value #BUCKET_TTL_SECONDS} s). A turn writes its bucket
 * in one pipelined batch; a reader sums the last {@value #WINDOW_SECONDS} buckets in one Lua script.
 */
@ApplicationScoped
public class ClusterStats {

    /** Key prefix of the per-second buckets. */
    public static final String KEY_PREFIX = "sb:supervisor:stats:";
    /** Seconds summed by {@link #window()}. */
    public static final int WINDOW_SECONDS = 60;
    /** Lifetime of a bucket (twice the window, so a slow reader still finds the oldest one). */
    public static final int BUCKET_TTL_SECONDS = 120;

    private static final Logger LOG = Logger.getLogger(ClusterStats.class);

    /** Sums every field of KEYS[*] (missing keys count as empty); returns a flat [field, total, ...] array. */
    private static final String SUM_SCRIPT = """
            local totals = {}
            for _, key in ipairs(KEYS) do
              local h = redis.call('HGETALL', key)
              for i = 1, #h, 2 do
                totals[h[i]] = (totals[h[i]] or 0) + tonumber(h[i + 1])
              end
            end
            local out = {}
            for field, total in pairs(totals) do
              out[#out + 1] = field
              out[#out + 1] = total
            end
            return out
            """;

    private final Redis redis;
    private final ReactiveRedisDataSource dataSource;
    private final Clock clock;

    @Inject
    ClusterStats(ReactiveRedisDataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    ClusterStats(ReactiveRedisDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.redis = dataSource.getRedis();
        this.clock = clock;
    }

    /**
     * Counts one finished turn in the current second's bucket (one pipelined batch). Never fails: Redis errors are
     * logged at DEBUG and swallowed, so statistics can never fail or slow a turn beyond one round trip.
     *
     * @param agent     the agent that ran it, or {@code null}/{@code none} when routing failed
     * @param method    the routing method ({@code explicit|semantic|llm|default}), or {@code null}
     * @param outcome   {@code ok} or {@code error}
     * @param errorType problem slug or type URI of a failed turn (see {@link #errorType(Throwable)}), else {@code null}
     */
    public Uni<Void> recordTurn(String agent, String method, String outcome, String errorType) {
        try {
            String key = KEY_PREFIX + clock.instant().getEpochSecond();
            List<Request> batch = new ArrayList<>(7);
            batch.add(hincr(key, "turns"));
            if (method != null && !method.isBlank()) {
                batch.add(hincr(key, "method:" + method));
            }
            if (agent != null && !agent.isBlank() && !"none".equals(agent)) {
                batch.add(hincr(key, "agent:" + agent));
            }
            if (!"ok".equals(outcome)) {
                batch.add(hincr(key, "errors"));
                batch.add(hincr(key, "error:" + slug(errorType)));
            }
            batch.add(Request.cmd(Command.EXPIRE).arg(key).arg(BUCKET_TTL_SECONDS));
            return redis.batch(batch)
                    .onFailure()
                    .invoke(e -> LOG.debugf("Could not record turn statistics: %s", e.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid();
        } catch (RuntimeException e) {
            LOG.debugf("Could not record turn statistics: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
    }

    /**
     * Sums the last {@value #WINDOW_SECONDS} one-second buckets (the current second included) of every replica.
     *
     * @return the totals; fails when Redis is unavailable
     */
    public Uni<Window> window() {
        long now = clock.instant().getEpochSecond();
        List<String> keys = new ArrayList<>(WINDOW_SECONDS);
        for (long second = now - WINDOW_SECONDS + 1; second <= now; second++) {
            keys.add(KEY_PREFIX + second);
        }
        List<String> args = new ArrayList<>(keys.size() + 2);
        args.add(SUM_SCRIPT);
        args.add(Integer.toString(keys.size()));
        args.addAll(keys);
        return dataSource.execute("EVAL", args.toArray(String[]::new)).map(ClusterStats::toWindow);
    }

    /**
     * The statistics slug of a turn failure: a problem's slug (e.g. {@code llm-not-configured}), else
     * {@code internal-error}.
     */
    public static String errorType(Throwable failure) {
        if (failure == null) {
            return null;
        }
        return failure instanceof ProblemException problem ? slug(problem.type()) : "internal-error";
    }

    private static String slug(String type) {
        if (type == null || type.isBlank()) {
            return "unknown";
        }
        return type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : type;
    }

    private static Request hincr(String key, String field) {
        return Request.cmd(Command.HINCRBY).arg(key).arg(field).arg(1);
    }

    private static Window toWindow(Response reply) {
        long turns = 0;
        long errors = 0;
        Map<String, Long> byMethod = new TreeMap<>();
        Map<String, Long> byAgent = new TreeMap<>();
        Map<String, Long> byError = new TreeMap<>();
        if (reply != null) {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                String field = reply.get(i).toString();
                long value = reply.get(i + 1).toLong();
                if (field.equals("turns")) {
                    turns = value;
                } else if (field.equals("errors")) {
                    errors = value;
                } else if (field.startsWith("method:")) {
                    byMethod.put(field.substring("method:".length()), value);
                } else if (field.startsWith("agent:")) {
                    byAgent.put(field.substring("agent:".length()), value);
                } else if (field.startsWith("error:")) {
                    byError.put(field.substring("error:".length()), value);
                }
            }
        }
        return new Window(WINDOW_SECONDS, turns, errors, byMethod, byAgent, byError);
    }

    /**
     * Cluster-wide totals over the window.
     *
     * @param seconds  window length
     * @param turns    turns finished (ok and error)
     * @param errors   turns that ended in an error
     * @param byMethod turns per routing method
     * @param byAgent  turns per agent
     * @param byError  failed turns per problem slug
     */
    public record Window(
            int seconds,
            long turns,
            long errors,
            Map<String, Long> byMethod,
            Map<String, Long> byAgent,
            Map<String, Long> byError) {

        /** @return turns per second over the window */
        public double turnsPerSecond() {
            return seconds == 0 ? 0 : turns / (double) seconds;
        }
    }
}
