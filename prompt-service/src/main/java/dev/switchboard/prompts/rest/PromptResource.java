package dev.switchboard.prompts.rest;

import static dev.switchboard.prompts.PromptProblem.LABEL_NOT_FOUND;
import static dev.switchboard.prompts.PromptProblem.MISSING_VARIABLES;
import static dev.switchboard.prompts.PromptProblem.PROMPT_NOT_FOUND;
import static dev.switchboard.prompts.PromptProblem.VERSION_NOT_FOUND;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.prompts.service.PromptService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Read API used by the supervisor: fetch a labelled prompt version, render it. */
@Path("/prompts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "prompts", description = "Read and render prompts")
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
@PromptProblems({PROMPT_NOT_FOUND, LABEL_NOT_FOUND, VERSION_NOT_FOUND})
@CommonProblems(CommonProblem.BAD_REQUEST)
public class PromptResource {

    private final PromptService service;

    /** Constructor injection. */
    public PromptResource(PromptService service) {
        this.service = service;
    }

    /**
     * {@code GET /prompts/{id}?label=production} (default) or {@code ?version=N}; {@code label=latest} is the
     * newest version.
     *
     * @return 200 {@link PromptView}; 404 {@code prompt-not-found}, {@code label-not-found},
     *         {@code version-not-found}; 400 on a bad id, label or version
     */
    @GET
    @Path("/{id}")
    @Operation(summary = "Get a prompt version by label (default production) or version number")
    public Uni<PromptView> getPrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @QueryParam("label") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String label,
            @QueryParam("version") @Pattern(regexp = Ids.VERSION_PATTERN, message = "must be a positive integer")
                    String version) {
        return service.findPrompt(id, label, Ids.version(version)).map(PromptView::of);
    }

    /**
     * {@code POST /prompts/{id}/render}: renders strictly.
     *
     * @return 200 {@link RenderView}; 400 {@code missing-variables} with one {@code errors[]} entry per missing
     *         variable; 404 as for {@link #getPrompt}
     */
    @POST
    @Path("/{id}/render")
    @Operation(summary = "Render a prompt version with variables; missing variables are a 400")
    @PromptProblems(MISSING_VARIABLES)
    public Uni<RenderView> renderPrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @Valid RenderRequest request) {
        RenderRequest body = request == null ? new RenderRequest(Map.of(), null, null) : request;
        return service.renderPrompt(id, body.label(), body.version(), body.variables())
                .map(r -> new RenderView(
                        r.resolved().prompt().id(), r.resolved().version().version(), r.content()));
    }
}
