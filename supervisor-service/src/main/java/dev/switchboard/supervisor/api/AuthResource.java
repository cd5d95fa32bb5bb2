package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.TOO_MANY_FAILED_LOGINS;
import static dev.switchboard.supervisor.problem.SupervisorProblem.USER_EXISTS;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.auth.AuthService;
import dev.switchboard.supervisor.auth.TokenService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The authentication endpoints users migrate with: {@code POST /api/v1/auth/login}, {@code POST /api/v1/auth/refresh}, and
 * {@code POST /api/v1/auth/users} (admin) to create users who log in with a password.
 */
@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Log in, refresh tokens, create users")
public class AuthResource {

    /** {@code {"username","password"}}. */
    public record LoginRequest(
            @NotBlank(message = "must not be blank") @Size(max = 128)
            String username,

            @NotBlank(message = "must not be blank") @Size(max = 256)
            String password) {}

    /** {@code {"refresh_token"}}. */
    public record RefreshRequest(
            @NotBlank(message = "must not be blank") @Size(max = 4096)
            String refreshToken) {}

    /** {@code {"username","password","roles"?}}; roles {@code user} (default) and/or {@code admin}. */
    public record NewUser(
            @NotNull(message = "must not be null") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String username,

            @NotNull(message = "must not be null") @Size(min = 12, max = 256, message = "must be 12 to 256 characters")
            String password,

            List<@Pattern(regexp = "admin|user", message = "must be admin or user") String> roles) {}

    /** The created user (never the password). */
    public record CreatedUser(String username, List<String> roles) {}

    private final AuthService auth;

    AuthResource(AuthService auth) {
        this.auth = auth;
    }

    /**
     * @return 200 {@code {"access_token","refresh_token","token_type":"bearer","expires_in","refresh_expires_in"}}
     *         (seconds); 401 invalid-credentials; 429 too-many-failed-logins with Retry-After; 400 validation-failed
     */
    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Log in with user name and password; returns an access and a refresh token")
    @CommonProblems(CommonProblem.INVALID_CREDENTIALS)
    @SupervisorProblems(TOO_MANY_FAILED_LOGINS)
    public Uni<TokenService.TokenPair> login(
            @NotNull(message = "a JSON body is required") @Valid LoginRequest request,
            @Context HttpServerRequest http) {
        String address =
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        return auth.login(request.username(), request.password(), address);
    }

    /** @return 200 a new token pair; 401 invalid-credentials for a bad, expired or non-refresh token */
    @POST
    @Path("/refresh")
    @PermitAll
    @Operation(summary = "Exchange a refresh token for a new access and refresh token")
    @CommonProblems(CommonProblem.INVALID_CREDENTIALS)
    public Uni<TokenService.TokenPair> refresh(
            @NotNull(message = "a JSON body is required") @Valid RefreshRequest request) {
        return auth.refresh(request.refreshToken());
    }

    /** @return 201 {@code {"username","roles"}}; 409 user-exists; 400 validation-failed; needs role admin */
    @POST
    @Path("/users")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a user who logs in with a password (admin)")
    @APIResponse(
            responseCode = "201",
            description = "The user was created",
            content = @Content(schema = @Schema(implementation = CreatedUser.class)))
    @SupervisorProblems(USER_EXISTS)
    public Uni<RestResponse<CreatedUser>> createUser(
            @NotNull(message = "a JSON body is required") @Valid NewUser request) {
        List<String> roles = request.roles() == null || request.roles().isEmpty()
                ? List.of(Roles.USER)
                : List.copyOf(new LinkedHashSet<>(request.roles()));
        return auth.createUser(request.username(), request.password(), roles)
                .map(v -> RestResponse.status(RestResponse.Status.CREATED, new CreatedUser(request.username(), roles)));
    }
}
