package dev.switchboard.supervisor.api;

import static dev.switchboard.supervisor.problem.SupervisorProblem.INVALID_WEBHOOK_SIGNATURE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.LOCATION_NOT_ALLOWED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.MALFORMED_WEBHOOK;
import static dev.switchboard.supervisor.problem.SupervisorProblem.QUEUE_ROW_NOT_FAILED;
import static dev.switchboard.supervisor.problem.SupervisorProblem.QUEUE_ROW_NOT_FOUND;
import static dev.switchboard.supervisor.problem.SupervisorProblem.WEBHOOK_BACKPRESSURE;
import static dev.switchboard.supervisor.problem.SupervisorProblem.WEBHOOK_PROVIDER_NOT_FOUND;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.supervisor.crm.webhook.MessageQueueRepository;
import dev.switchboard.supervisor.crm.webhook.MessageQueueWorker;
import dev.switchboard.supervisor.crm.webhook.QueueRow;
import dev.switchboard.supervisor.crm.webhook.WebhookIntake;
import dev.switchboard.supervisor.crm.webhook.WebhookMonitoring;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * CRM webhooks: {@code POST /webhooks/{provider}} (inbound, authenticated over the raw bytes) and the operator
 * endpoints on the durable queue ({@code /webhooks/queue...}, {@code /webhooks/monitoring}).
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "CRM webhook intake and the durable message queue")
// StorableParameters checks every path and query parameter
@CommonProblems(CommonProblem.INVALID_TEXT)
// @RolesAllowed on each operator method, not on the class: the OpenAPI document would list the public intake as
// secured too (its automatic security ignores a method's @PermitAll)
public class WebhookResource {

    private final WebhookIntake intake;
    private final MessageQueueRepository queue;
    private final WebhookMonitoring monitoring;
    private final MessageQueueWorker worker;

    WebhookResource(
            WebhookIntake intake,
            MessageQueueRepository queue,
            WebhookMonitoring monitoring,
            MessageQueueWorker worker) {
        this.intake = intake;
        this.queue = queue;
        this.monitoring = monitoring;
        this.worker = worker;
    }

    /**
     * Receives one delivery. The body is read as raw bytes and authenticated before it is parsed, on a worker thread
     * (see {@link WebhookIntake#receive}).
     *
     * @param provider {@code ghl} (signed) or {@code ghl-workflow} (shared secret)
     * @return 202 {@code {"status":"queued"|"recorded"|"ignored","id","event_id","type"}}, or 200 with status
     *         {@code duplicate} for a repeated delivery (nothing changed); problems: 401
     *         {@code invalid-webhook-signature} (also a missing or stale {@code timestamp}), 400
     *         {@code malformed-webhook}, 403 {@code location-not-allowed}, 404 {@code webhook-provider-not-found}
     *         (also a provider its settings switch off), 413 {@code payload-too-large} (over
     *         {@code WEBHOOK_MAX_BODY_SIZE}), 429 {@code webhook-backpressure} with {@code Retry-After}
     */
    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    @PermitAll
    @Operation(summary = "Receive one CRM webhook delivery (authenticated by signature or shared secret)")
    @APIResponse(
            responseCode = "202",
            description = "Queued, recorded or ignored",
            content = @Content(schema = @Schema(implementation = WebhookIntake.Receipt.class)))
    @APIResponse(
            responseCode = "200",
            description = "A repeated delivery: status duplicate, nothing changed",
            content = @Content(schema = @Schema(implementation = WebhookIntake.Receipt.class)))
    @SupervisorProblems({
        MALFORMED_WEBHOOK,
        INVALID_WEBHOOK_SIGNATURE,
        LOCATION_NOT_ALLOWED,
        WEBHOOK_PROVIDER_NOT_FOUND,
        WEBHOOK_BACKPRESSURE
    })
    public Uni<Response> receive(@PathParam("provider") String provider, byte[] body, @Context HttpHeaders headers) {
        return intake.receive(provider, body == null ? new byte[0] : body, headers::getHeaderString)
                .map(receipt -> Response.status("duplicate".equals(receipt.status()) ? 200 : 202)
                        .entity(receipt)
                        .build());
    }

    /**
     * Lists queue rows, newest first.
     *
     * @param status   pending, processing, completed, failed or recorded; absent = all
     * @param limit    1..500 (default 50)
     * @param beforeId paging: only rows with a smaller id
     * @return {@code {"rows":[...], "count"}}
     */
    @GET
    @Path("/queue")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List message queue rows, newest first (admin)")
    public Uni<Map<String, Object>> listRows(
            @QueryParam("status")
                    @Pattern(
                            regexp = "pending|processing|completed|failed|recorded",
                            message = "must be pending, processing, completed, failed or recorded")
                    String status,
            @QueryParam("limit")
                    @DefaultValue("50")
                    @Min(value = 1, message = "must be at least 1")
                    @Max(value = 500, message = "must be at most 500")
                    int limit,
            @QueryParam("before_id") Long beforeId) {
        return queue.list(status, limit, beforeId).map(rows -> Map.of("rows", rows, "count", rows.size()));
    }

    /**
     * One row with its payload, reply and error.
     *
     * @param id the row id
     * @return the row; 404 {@code queue-row-not-found}
     */
    @GET
    @Path("/queue/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "One message queue row with its payload, reply and error (admin)")
    @SupervisorProblems(QUEUE_ROW_NOT_FOUND)
    public Uni<QueueRow> findRow(@PathParam("id") long id) {
        return queue.find(id);
    }

    /**
     * Replays a dead letter: back to pending with fresh attempts; the workers are woken.
     *
     * @param id the row id
     * @return the row as now stored; 404 {@code queue-row-not-found}, 409 {@code queue-row-not-failed}
     */
    @POST
    @Path("/queue/{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replay a failed (dead-letter) row: back to pending with fresh attempts (admin)")
    @SupervisorProblems({QUEUE_ROW_NOT_FOUND, QUEUE_ROW_NOT_FAILED})
    public Uni<QueueRow> replayRow(@PathParam("id") long id) {
        return queue.replay(id).invoke(row -> worker.drain());
    }

    /**
     * The cutover monitoring queries as JSON.
     *
     * @param days  window of success and booking rates in days (1..90, default 7)
     * @param hours window of agent performance and transitions in hours (1..720, default 24)
     * @return see {@link WebhookMonitoring#report}
     */
    @GET
    @Path("/monitoring")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Success and booking rates, agent performance and transitions (admin)")
    public Uni<Map<String, Object>> monitoring(
            @QueryParam("days")
                    @DefaultValue("7")
                    @Min(value = 1, message = "must be at least 1")
                    @Max(value = 90, message = "must be at most 90")
                    int days,
            @QueryParam("hours")
                    @DefaultValue("24")
                    @Min(value = 1, message = "must be at least 1")
                    @Max(value = 720, message = "must be at most 720")
                    int hours) {
        return monitoring.report(days, hours);
    }
}
