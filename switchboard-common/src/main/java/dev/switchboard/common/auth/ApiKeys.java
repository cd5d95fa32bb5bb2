package dev.switchboard.common.auth;

import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.validation.Ids;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The configured API keys, held as SHA-256 hashes (API keys are 256-bit random strings, so a plain hash is
 * the standard way to store them; a password hash would only slow every request down).
 */
public final class ApiKeys {

    /** One accepted key: its principal name and roles. */
    public record Entry(String name, Set<String> roles) {}

    private final Map<String, Entry> byHash;

    private ApiKeys(Map<String, Entry> byHash) {
        this.byHash = byHash;
    }

    /**
     * Parses {@code name:role+role:sha256-hex} entries ({@code name} follows {@link Ids#PATTERN}: it is the user id
     * a non-admin key acts as).
     *
     * @throws IllegalArgumentException for a malformed entry (the message names its position, never its hash)
     */
    public static ApiKeys parse(List<String> entries) {
        Map<String, Entry> byHash = new LinkedHashMap<>();
        int position = 0;
        for (String raw : entries) {
            position++;
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":");
            if (parts.length != 3
                    || !parts[0].matches(Ids.PATTERN)
                    || parts[1].isBlank()
                    || !parts[2].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(
                        "SWITCHBOARD_API_KEYS entry " + position + " is not name:role+role:sha256-hex");
            }
            Set<String> roles = new LinkedHashSet<>(List.of(parts[1].split("\\+")));
            String hex = parts[2].toLowerCase();
            byHash.put(hex, new Entry(parts[0], Set.copyOf(roles)));
        }
        return new ApiKeys(Map.copyOf(byHash));
    }

    /**
     * @return the entry whose hash matches {@code key}, if any (the lookup compares SHA-256 hashes, never the key
     *         itself, so its timing says nothing about the key)
     */
    public Optional<Entry> find(String key) {
        return findDigest(Sha256.digest(key));
    }

    /** @return the entry of the key whose SHA-256 digest ({@link Sha256#digest}) is {@code digest}, if any */
    public Optional<Entry> findDigest(byte[] digest) {
        return Optional.ofNullable(byHash.get(Sha256.toHex(digest)));
    }

    /** @return the names of the entries whose hex hash passes {@code test} */
    public List<String> namesWithHash(Predicate<String> test) {
        return byHash.entrySet().stream()
                .filter(e -> test.test(e.getKey()))
                .map(e -> e.getValue().name())
                .toList();
    }

    /** @return how many keys are configured */
    public int size() {
        return byHash.size();
    }

    /** @return the hex SHA-256 of {@code key}, the form {@code SWITCHBOARD_API_KEYS} stores */
    public static String hash(String key) {
        return Sha256.hex(key);
    }
}
