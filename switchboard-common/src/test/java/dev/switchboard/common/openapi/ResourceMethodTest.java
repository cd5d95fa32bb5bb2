package dev.switchboard.common.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.problem.CommonProblem;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceMethodTest {

    @Path("things/")
    @RolesAllowed("admin")
    @CommonProblems(CommonProblem.OVERLOADED)
    public static class ThingResource {

        @GET
        @PermitAll
        public String listThings() {
            return "";
        }

        @PATCH
        @Path("/{id: [0-9]+}/")
        @CommonProblems(CommonProblem.BAD_REQUEST)
        public String patchThing(String id) {
            return id;
        }

        @DELETE
        @Path("{id}//parts/{part}")
        public void deletePart(String id, String part) {}

        @Path("sub")
        public Object locator() {
            return this;
        }
    }

    @Test
    void readsPathsAsTheOpenApiDocumentNamesThem() {
        List<String> methods = ResourceMethod.of(ThingResource.class).stream()
                .map(ResourceMethod::toString)
                .toList();

        assertEquals(List.of("GET /things", "PATCH /things/{id}", "DELETE /things/{id}/parts/{part}"), methods);
    }

    @Test
    void methodSecurityWinsOverTheClassAndDeclarationsAddUp() {
        List<ResourceMethod> methods = ResourceMethod.of(ThingResource.class);

        assertFalse(methods.get(0).secured());
        assertTrue(methods.get(1).secured());
        assertEquals(Set.of(CommonProblem.OVERLOADED), methods.get(0).declaredProblems());
        assertEquals(
                List.of(CommonProblem.OVERLOADED, CommonProblem.BAD_REQUEST),
                List.copyOf(methods.get(1).declaredProblems()));
    }
}
