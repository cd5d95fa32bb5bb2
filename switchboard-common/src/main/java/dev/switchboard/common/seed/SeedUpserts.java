package dev.switchboard.common.seed;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The seeding loop: each entry is upserted on its own, one after another, so one bad entry costs only itself and
 * replicas starting together interleave row by row. Idempotence is the upsert's job (insert if absent, update only
 * what changed, leave what an operator changed since alone); this loop only orders the calls and keeps going.
 */
public final class SeedUpserts {

    private static final Logger LOG = Logger.getLogger(SeedUpserts.class);

    private SeedUpserts() {}

    /**
     * Upserts {@code entries} in order. When two entries have the same key the later one wins (later files override
     * earlier ones, a directory the bundled files), logged at INFO. An upsert that fails is logged at ERROR with the
     * entry's file and line and skipped; the loop goes on with the next entry.
     *
     * @param kind    what an entry is, for logs ({@code agent}, {@code prompt})
     * @param entries the entries, as read
     * @param key     the entry's identity (agent name, prompt id)
     * @param upsert  writes one entry; its item says what it did
     * @param <T>     the entry type
     * @param <R>     the upsert's result
     * @return the results of the upserts that succeeded, in order (one per distinct key at most); never fails
     */
    public static <T, R> Uni<List<R>> upsertAll(
            String kind,
            List<SeedEntry<T>> entries,
            Function<? super T, String> key,
            Function<SeedEntry<T>, Uni<R>> upsert) {
        Map<String, SeedEntry<T>> byKey = new LinkedHashMap<>();
        for (SeedEntry<T> entry : entries) {
            SeedEntry<T> previous = byKey.put(key.apply(entry.value()), entry);
            if (previous != null) {
                LOG.infof(
                        "%s %s of %s overrides %s",
                        capitalized(kind), key.apply(entry.value()), entry.location(), previous.location());
            }
        }
        return Multi.createFrom()
                .iterable(byKey.values())
                .onItem()
                .transformToUniAndConcatenate(entry -> Uni.createFrom()
                        .deferred(() -> upsert.apply(entry))
                        .onFailure()
                        .recoverWithItem(e -> {
                            LOG.errorf(
                                    "%s %s of %s not seeded: %s",
                                    capitalized(kind), key.apply(entry.value()), entry.location(), e.getMessage());
                            return null;
                        }))
                .filter(Objects::nonNull)
                .collect()
                .asList();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
