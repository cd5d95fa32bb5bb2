package dev.switchboard.state.repository;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Which PostgreSQL failures mean "unavailable" (503 {@code dependency-unavailable}, retry later) and which stay what
 * they are: a lost version race is a conflict, an unreadable row a bug (500), never an outage.
 */
class CheckpointRepositoryFailuresTest {

    @Test
    void unreachableSilentOrShuttingDownPostgresIsUnavailable() {
        assertTrue(CheckpointRepository.isUnavailable(new ConnectException("Connection refused")));
        assertTrue(CheckpointRepository.isUnavailable(new TimeoutException("no answer")));
        assertTrue(CheckpointRepository.isUnavailable(ClosedConnectionException.INSTANCE));
        assertTrue(CheckpointRepository.isUnavailable(new CompletionException(new ConnectException("refused"))));
        assertTrue(CheckpointRepository.isUnavailable(
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(CheckpointRepository.isUnavailable(new PgException("connection failure", "FATAL", "08006", null)));
    }

    @Test
    void conflictsAndUnreadableRowsAreNotOutages() {
        assertFalse(CheckpointRepository.isUnavailable(
                new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null)));
        assertFalse(CheckpointRepository.isUnavailable(new IllegalStateException(
                "Unreadable checkpoint JSON", new JsonParseException(null, "Unexpected character"))));
        assertFalse(CheckpointRepository.isUnavailable(new IllegalStateException("Checkpoints miss version 3")));
    }
}
