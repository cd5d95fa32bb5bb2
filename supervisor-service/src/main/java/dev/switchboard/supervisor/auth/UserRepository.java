package dev.switchboard.supervisor.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** {@code supervisor.users}: user name, BCrypt password hash, roles. */
@ApplicationScoped
public class UserRepository {

    /** A stored user; {@code passwordHash} never leaves the service. */
    public record StoredUser(String username, String passwordHash, List<String> roles) {}

    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    /** @return the user of that name, if any */
    public Uni<Optional<StoredUser>> find(String username) {
        return pool.preparedQuery("SELECT username, password_hash, roles FROM supervisor.users WHERE username = $1")
                .execute(Tuple.of(username))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(toUser(it.next())) : Optional.empty();
                });
    }

    /** @return {@code true} when created, {@code false} when the name is taken */
    public Uni<Boolean> create(String username, String passwordHash, List<String> roles) {
        return pool.preparedQuery("INSERT INTO supervisor.users (username, password_hash, roles) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (username) DO NOTHING")
                .execute(Tuple.of(username, passwordHash, roles.toArray(String[]::new)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Creates the user or replaces its password and roles. */
    public Uni<Void> upsert(String username, String passwordHash, List<String> roles) {
        return pool.preparedQuery("INSERT INTO supervisor.users (username, password_hash, roles) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash,"
                        + " roles = EXCLUDED.roles, updated_at = now()")
                .execute(Tuple.of(username, passwordHash, roles.toArray(String[]::new)))
                .replaceWithVoid();
    }

    private static StoredUser toUser(Row row) {
        return new StoredUser(
                row.getString("username"), row.getString("password_hash"), List.of(row.getArrayOfStrings("roles")));
    }
}
