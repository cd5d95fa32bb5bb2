package dev.switchboard.state.rest;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.state.Erasure;
import dev.switchboard.state.ErasureRequest;
import dev.switchboard.state.service.ErasureService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Erasure of a person's data (internal: the supervisor's {@code DELETE /users/{id}/data} and contact erasure). */
@Path("/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "erasures")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
public class ErasureResource {

    private final ErasureService erasures;

    /** @param erasures the erasure rules */
    public ErasureResource(ErasureService erasures) {
        this.erasures = erasures;
    }

    /**
     * {@code POST /erasures} {@code {"user_id"?, "session_ids"?}}: deletes every session of the user and the named
     * sessions (and their forks): checkpoints, Redis copies, index entries. 200 with the counts and the erased session
     * ids; erasing again answers zeros. 400 {@code validation-failed} when neither is given.
     */
    @POST
    @Operation(summary = "Erase a user's sessions and/or named sessions, with their checkpoints and Redis keys")
    @APIResponse(
            responseCode = "200",
            description = "What was erased",
            content = @Content(schema = @Schema(implementation = Erasure.class)))
    public Uni<Erasure> erase(@Valid ErasureRequest body) {
        if (body == null
                || (body.userId() == null
                        && (body.sessionIds() == null || body.sessionIds().isEmpty()))) {
            throw new ProblemException(
                    CommonProblem.VALIDATION_FAILED,
                    List.of(new Problem.FieldError("user_id", "user_id or session_ids is required")));
        }
        return erasures.erase(body.userId(), body.sessionIds());
    }
}
