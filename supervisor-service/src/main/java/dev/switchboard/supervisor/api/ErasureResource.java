package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_TIMEOUT;
import static dev.switchboard.supervisor.problem.SupervisorProblem.DEPENDENCY_UNAVAILABLE;

import dev.switchboard.common.auth.Callers;
import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.erasure.AuditedErasure;
import dev.switchboard.supervisor.erasure.Erasure;
import dev.switchboard.supervisor.erasure.ErasureRepository;
import dev.switchboard.supervisor.erasure.ErasureService;
import dev.switchboard.supervisor.erasure.ErasureSubject;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Erasure of a person's data in every service ({@link ErasureService}): {@code DELETE /users/{user_id}/data} (an
 * admin, or the user for itself; 403 for another user) and {@code DELETE
 * /crm/ghl/locations/{location_id}/contacts/{contact_id}/data} (admin), both answering 200 with the counts per kind;
 * {@code GET /erasures} lists the audit (admin).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "erasure", description = "Erase a user's or a CRM contact's data; the audit of erasures")
// StorableParameters checks every path and query parameter
@CommonProblems(CommonProblem.INVALID_TEXT)
public class ErasureResource {

    /** A GoHighLevel location or contact id, as contact session ids take them. */
    static final String CRM_ID = "[A-Za-z0-9._-]{1,60}";

    private static final String CRM_ID_MESSAGE = "must match " + CRM_ID;

    private final ErasureService erasures;
    private final ErasureRepository audit;

    ErasureResource(ErasureService erasures, ErasureRepository audit) {
        this.erasures = erasures;
        this.audit = audit;
    }

    /**
     * Erases a user's sessions (messages, turn records, checkpoints), the appointments booked in them, its login
     * account and its Redis keys, in every service, and audits it.
     *
     * @return {@code {"erasure_id","subject":"user","requested_by","requested_at","counts":{"sessions","checkpoints",
     *         "queue_rows","appointments","users","redis_keys"}}} ({@code requested_by} is {@code self} when the user
     *         erased itself); 403 forbidden for another user than the caller
     *         (unless an admin), 400 for a malformed id, 503/504 when state-service does not answer
     */
    @DELETE
    @Path("users/{userId}/data")
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    @Operation(summary = "Erase a user's data in every service (the caller's own, or any user's for an admin)")
    @SupervisorProblems({DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT})
    public Uni<Erasure> eraseUser(
            @PathParam("userId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId,
            @Context SecurityContext caller) {
        Callers.requireOwnerOrAdmin(caller, userId);
        String name = Callers.name(caller);
        // a user erasing itself is audited as "self": the audit must not keep the id it erased
        return erasures.erase(ErasureSubject.user(userId), userId.equals(name) ? Erasure.SELF : name);
    }

    /**
     * Erases a CRM contact's conversation (the session {@code ghl:<location>:<contact>} and its forks, with their
     * checkpoints), its queued webhook payloads, the appointments booked in that conversation and its Redis keys, and
     * audits it.
     *
     * @return as {@link #eraseUser}, with {@code "subject":"contact"}; 400 for a malformed id, 503/504 when
     *         state-service does not answer
     */
    @DELETE
    @Path("crm/ghl/locations/{locationId}/contacts/{contactId}/data")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a GoHighLevel contact's data in every service")
    @SupervisorProblems({DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT})
    public Uni<Erasure> eraseContact(
            @PathParam("locationId") @Pattern(regexp = CRM_ID, message = CRM_ID_MESSAGE) String locationId,
            @PathParam("contactId") @Pattern(regexp = CRM_ID, message = CRM_ID_MESSAGE) String contactId,
            @Context SecurityContext caller) {
        return erasures.erase(ErasureSubject.contact(locationId, contactId), Callers.name(caller));
    }

    /**
     * @param limit at most this many (1..500), newest first
     * @return the audit: {@code [{"erasure_id","subject","subject_sha256","requested_by","requested_at","counts"}]}
     */
    @GET
    @Path("erasures")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The audit of erasures: who erased, when, how much (never whose data or what)")
    public Uni<List<AuditedErasure>> listErasures(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return audit.list(limit);
    }
}
