package dev.switchboard.common.auth;

import dev.switchboard.common.digest.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The SHA-256 hashes of every secret-looking value committed to this repository (resource
 * {@value #RESOURCE}: deployment placeholders, documentation examples, test credentials). Such a value is public,
 * so a deployment that uses it as a secret is open to anyone who read the repository; {@link AuthStartupCheck}
 * refuses to start with one.
 */
public final class KnownSecrets {

    /** Class-path resource of the list: one {@code <sha256-hex> <where>} line per value, {@code #} comments. */
    public static final String RESOURCE = "dev/switchboard/common/auth/known-secrets.sha256";

    private final Set<String> hashes;

    private KnownSecrets(Set<String> hashes) {
        this.hashes = Set.copyOf(hashes);
    }

    /**
     * @return the list shipped in this jar
     * @throws IllegalStateException when the resource is missing or holds a line that is not a SHA-256 hex digest
     */
    public static KnownSecrets load() {
        try (InputStream in = KnownSecrets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KnownSecrets parse(BufferedReader reader) throws IOException {
        Set<String> hashes = new HashSet<>();
        String line;
        while ((line = reader.readLine()) != null) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String hex = entry.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(RESOURCE + " holds a line that is not a SHA-256 hex digest");
            }
            hashes.add(hex);
        }
        return new KnownSecrets(hashes);
    }

    /** @return whether {@code secret}'s SHA-256 is listed (a blank or absent secret is never known) */
    public boolean isKnown(String secret) {
        return secret != null && !secret.isBlank() && hashes.contains(Sha256.hex(secret));
    }

    /**
     * @param sha256Hex the hex SHA-256 of a secret, e.g. an API key's hash in {@code SWITCHBOARD_API_KEYS}
     * @return whether it is listed
     */
    public boolean isKnownHash(String sha256Hex) {
        return sha256Hex != null && hashes.contains(sha256Hex.toLowerCase(Locale.ROOT));
    }

    /** @return how many values are listed */
    public int size() {
        return hashes.size();
    }
}
