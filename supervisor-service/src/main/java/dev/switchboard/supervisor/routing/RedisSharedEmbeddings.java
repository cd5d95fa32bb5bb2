package dev.switchboard.supervisor.routing;

import dev.switchboard.common.digest.Sha256;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.vertx.mutiny.redis.client.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@link SharedEmbeddings} in Redis: {@code sb:supervisor:embedding:{model}:{Sha256.hex(text)}} holds a text's unit
 * vector (float32, little-endian, base64) for {@link #TTL}; {@code sb:supervisor:embedding-claim:{model}:{sha256}} is
 * the short claim ({@code SET NX PX}) of the replica embedding it. Blocking calls: used from the router's index
 * builds on worker threads. Redis errors read as nothing found and everything claimed (each replica embeds alone).
 */
public class RedisSharedEmbeddings implements SharedEmbeddings {

    /** How long a stored embedding is kept (the same text embeds to the same vector with the same model). */
    static final Duration TTL = Duration.ofDays(1);
    /** How long a claim holds the other replicas back. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(2);

    private static final String PREFIX = "sb:supervisor:embedding:";
    private static final String CLAIM_PREFIX = "sb:supervisor:embedding-claim:";
    private static final Logger LOG = Logger.getLogger(RedisSharedEmbeddings.class);
    // KEYS: claim keys; ARGV: claim ttl ms; returns the 1-based indexes of the keys this caller set
    private static final String CLAIM = """
            local won = {}
            for i, key in ipairs(KEYS) do
              if redis.call('SET', key, '1', 'NX', 'PX', ARGV[1]) then won[#won + 1] = i end
            end
            return won
            """;

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final String model;

    /**
     * @param redis the data source
     * @param model the embedding model's name, part of every key (vectors of different models never mix)
     */
    public RedisSharedEmbeddings(RedisDataSource redis, String model) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.model = model;
    }

    @Override
    public Map<String, double[]> find(List<String> texts) {
        try {
            String[] keys = texts.stream()
                    .map(t -> PREFIX + model + ":" + Sha256.hex(t))
                    .toArray(String[]::new);
            Map<String, String> stored = values.mget(keys);
            Map<String, double[]> found = new HashMap<>();
            for (int i = 0; i < texts.size(); i++) {
                String encoded = stored.get(keys[i]);
                if (encoded != null) {
                    found.put(texts.get(i), decode(encoded));
                }
            }
            return found;
        } catch (RuntimeException e) {
            LOG.debugf("Shared embeddings not readable: %s", e.getMessage());
            return Map.of();
        }
    }

    @Override
    public List<String> claim(List<String> texts) {
        try {
            List<String> args = new ArrayList<>();
            args.add(CLAIM);
            args.add(Integer.toString(texts.size()));
            texts.forEach(t -> args.add(CLAIM_PREFIX + model + ":" + Sha256.hex(t)));
            args.add(Long.toString(CLAIM_TTL.toMillis()));
            Response won = redis.execute("EVAL", args.toArray(String[]::new));
            List<String> mine = new ArrayList<>();
            won.forEach(index -> mine.add(texts.get(index.toInteger() - 1)));
            return mine;
        } catch (RuntimeException e) {
            LOG.debugf("Shared embeddings not claimable: %s", e.getMessage());
            return texts;
        }
    }

    @Override
    public void store(Map<String, double[]> vectors) {
        try {
            vectors.forEach((text, vector) ->
                    values.setex(PREFIX + model + ":" + Sha256.hex(text), TTL.toSeconds(), encode(vector)));
        } catch (RuntimeException e) {
            LOG.debugf("Shared embeddings not stored: %s", e.getMessage());
        }
    }

    static String encode(double[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : vector) {
            buffer.putFloat((float) v);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static double[] decode(String encoded) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        double[] vector = new double[buffer.remaining() / Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        return vector;
    }
}
