package dev.switchboard.registry;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /supervisors}: {@code {"id","host","port","version","capacity","active_sessions","started_at"?}}.
 *
 * @param id             required, {@code [A-Za-z0-9._:-]{1,128}}
 * @param host           required, host name or address (letters, digits, {@code . _ : - [ ]}), 1..255 chars
 * @param port           required, 1..65535
 * @param version        1..64 chars; default {@code unknown}
 * @param capacity       required, 0..1000000 (the replica's {@code MAX_CONCURRENT_SESSIONS})
 * @param activeSessions 0..1000000, default 0
 * @param startedAt      when the replica started; default now
 */
public record SupervisorRegistration(
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String id,

        @NotNull @Pattern(regexp = "[A-Za-z0-9._:\\[\\]-]{1,255}", message = "must be a host name or address")
        String host,

        @NotNull @Min(1) @Max(65535) Integer port,
        @Size(min = 1, max = 64) String version,
        @NotNull @Min(0) @Max(1_000_000) Integer capacity,
        @Min(0) @Max(1_000_000) Integer activeSessions,
        Instant startedAt) {

    /** @return {@link #version()} or {@code unknown} */
    public String versionOrDefault() {
        return version == null ? "unknown" : version;
    }

    /** @return {@link #activeSessions()} or 0 */
    public int activeSessionsOrZero() {
        return activeSessions == null ? 0 : activeSessions;
    }
}
