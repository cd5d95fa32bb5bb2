package dev.switchboard.state;

import dev.switchboard.common.validation.Ids;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /erasures}: whose data to erase. At least one of the two.
 *
 * @param userId     every session owned by this user, or {@code null}
 * @param sessionIds these sessions (e.g. a CRM contact's {@code ghl:<location>:<contact>}), at most 100, or
 *                   {@code null}; forks of any erased session are erased with it
 */
public record ErasureRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
        String userId,

        @Size(max = 100, message = "at most 100 session ids")
        List<@Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> sessionIds) {}
