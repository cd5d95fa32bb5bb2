package dev.switchboard.prompts.rest;

import static dev.switchboard.prompts.PromptProblem.DEPENDENCY_UNAVAILABLE;
import static dev.switchboard.prompts.PromptProblem.INVALID_LABEL;
import static dev.switchboard.prompts.PromptProblem.INVALID_TEMPLATE;
import static dev.switchboard.prompts.PromptProblem.LABEL_NOT_FOUND;
import static dev.switchboard.prompts.PromptProblem.PROMPT_EXISTS;
import static dev.switchboard.prompts.PromptProblem.PROMPT_IN_USE;
import static dev.switchboard.prompts.PromptProblem.PROMPT_NOT_FOUND;
import static dev.switchboard.prompts.PromptProblem.VERSION_NOT_FOUND;

import dev.switchboard.common.auth.Roles;
import dev.switchboard.common.openapi.CommonProblems;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.prompts.PromptType;
import dev.switchboard.prompts.service.PromptImporter;
import dev.switchboard.prompts.service.PromptService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API ({@code /admin/prompts}): prompt CRUD, versions and label moves; administrators only. */
@Path("/admin/prompts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Manage prompts, versions and labels")
@RolesAllowed(Roles.ADMIN)
public class AdminPromptResource {

    private final PromptService service;

    /** Constructor injection. */
    public AdminPromptResource(PromptService service) {
        this.service = service;
    }

    /** @return 200 {@code {"prompts":[...],"count":N}} sorted by id, optionally of one {@code type} */
    @GET
    @Operation(summary = "List prompts")
    public Uni<PromptListView> listPrompts(
            @QueryParam("type")
                    @Pattern(regexp = PromptType.PATTERN, message = "must be one of agent, router, rag, utility")
                    String type) {
        return service.listPrompts(type)
                .map(list -> new PromptListView(
                        list.stream().map(AdminPromptView::of).toList(), list.size()));
    }

    /** @return 200 {@code {"types":["agent","router","rag","utility"]}} */
    @GET
    @Path("/types")
    @Operation(summary = "List valid prompt types")
    public TypesView listTypes() {
        return new TypesView(PromptType.wireNames());
    }

    /**
     * {@code GET /admin/prompts/export} → every prompt at its {@code production} version in the import YAML format
     * ({@code application/yaml}), so prompts can live in git: the file re-imports without creating versions.
     */
    @GET
    @Path("/export")
    @Produces({"application/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "Export every prompt (production versions) as importable YAML")
    public Uni<String> exportPrompts() {
        return service.exportPrompts().map(PromptImporter::export);
    }

    /** @return 200 {@link AdminPromptView}; 404 {@code prompt-not-found} */
    @GET
    @Path("/{id}")
    @Operation(summary = "Get a prompt with its labels and newest version")
    @PromptProblems(PROMPT_NOT_FOUND)
    public Uni<AdminPromptView> getPrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return service.findPromptDetails(id).map(AdminPromptView::of);
    }

    /**
     * Creates a prompt: version 1, labels production and staging.
     *
     * @return 201 {@link AdminPromptView} with {@code Location}; 409 {@code prompt-exists};
     *         400 {@code invalid-template} or {@code validation-failed} (nothing written)
     */
    @POST
    @Operation(summary = "Create a prompt (version 1, labels production and staging)")
    @APIResponse(
            responseCode = "201",
            description = "The new prompt, with Location",
            content = @Content(schema = @Schema(implementation = AdminPromptView.class)))
    @PromptProblems({PROMPT_EXISTS, INVALID_TEMPLATE})
    public Uni<RestResponse<AdminPromptView>> createPrompt(@NotNull @Valid CreatePromptRequest request) {
        return service.createPrompt(request.toDefinition(), request.author(), request.message())
                .map(details -> RestResponse.ResponseBuilder.<AdminPromptView>created(
                                URI.create("/admin/prompts/" + details.prompt().id()))
                        .entity(AdminPromptView.of(details))
                        .build());
    }

    /**
     * Updates a prompt: different content or model config → a new immutable version (labels moved to it);
     * identical content → no new version.
     *
     * @return 200 {@link AdminPromptView}; 404 {@code prompt-not-found}; 400 {@code invalid-template}
     */
    @PUT
    @Path("/{id}")
    @Operation(summary = "Update a prompt; changed content creates a new version")
    @PromptProblems({PROMPT_NOT_FOUND, INVALID_TEMPLATE, INVALID_LABEL})
    public Uni<AdminPromptView> updatePrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @NotNull @Valid UpdatePromptRequest request) {
        return service.updatePrompt(id, request.toChange()).map(AdminPromptView::of);
    }

    /**
     * Deletes a prompt (soft). {@code ?force=true} skips the check that no active agent uses it.
     *
     * @return 204; 404 {@code prompt-not-found}; 409 {@code prompt-in-use} naming the agents; 503
     *         {@code dependency-unavailable} when agent-registry-service cannot be asked
     */
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a prompt (history kept)")
    @PromptProblems({PROMPT_NOT_FOUND, PROMPT_IN_USE, DEPENDENCY_UNAVAILABLE})
    public Uni<RestResponse<Void>> deletePrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            // text, not boolean: JAX-RS reads anything but "true" as false, so a typo would silently not force
            @QueryParam("force") @Pattern(regexp = "(?i)true|false", message = "must be true or false") String force) {
        return service.deletePrompt(id, "true".equalsIgnoreCase(force)).map(ignored -> RestResponse.noContent());
    }

    /** @return 200 {@link TestView} (missing variables reported, not failed); 404 as for reads */
    @POST
    @Path("/{id}/test")
    @Operation(summary = "Test-render a prompt: reports missing and unused variables and a token estimate")
    @PromptProblems({PROMPT_NOT_FOUND, LABEL_NOT_FOUND, VERSION_NOT_FOUND})
    @CommonProblems(CommonProblem.BAD_REQUEST)
    public Uni<TestView> testPrompt(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @Valid RenderRequest request) {
        RenderRequest body = request == null ? new RenderRequest(Map.of(), null, null) : request;
        return service.testPrompt(id, body.label(), body.version(), body.variables())
                .map(TestView::of);
    }

    /** @return 200 {@link VersionsView} newest first; 404 {@code prompt-not-found} */
    @GET
    @Path("/{id}/versions")
    @Operation(summary = "List a prompt's versions, newest first")
    @PromptProblems(PROMPT_NOT_FOUND)
    public Uni<VersionsView> listVersions(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return service.listVersions(id)
                .map(h -> new VersionsView(
                        h.prompt().id(),
                        h.versions().stream()
                                .map(v -> VersionView.of(v, h.labels()))
                                .toList(),
                        h.labels(),
                        h.versions().size()));
    }

    /**
     * Points a label at a version: promote or roll back.
     *
     * @return 200 {@link LabelView}; 404 {@code prompt-not-found} or {@code version-not-found};
     *         400 {@code invalid-label} for {@code latest}
     */
    @POST
    @Path("/{id}/labels/{label}")
    @Operation(summary = "Point a label (production, staging, ...) at a version")
    @PromptProblems({PROMPT_NOT_FOUND, VERSION_NOT_FOUND, INVALID_LABEL})
    public Uni<LabelView> moveLabel(
            @PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @PathParam("label") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String label,
            @NotNull @Valid LabelRequest request) {
        return service.moveLabel(id, label, request.version())
                .map(m -> new LabelView(m.promptId(), m.label(), m.version(), m.previousVersion()));
    }
}
