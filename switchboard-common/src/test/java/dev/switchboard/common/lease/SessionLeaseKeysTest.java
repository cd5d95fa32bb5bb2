package dev.switchboard.common.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SessionLeaseKeysTest {

    @Test
    void namesTheSupervisorsLeaseAndFenceKeys() {
        assertEquals("sb:supervisor:lease:s-1", SessionLeaseKeys.leaseKey("s-1"));
        assertEquals("sb:supervisor:fence:s-1", SessionLeaseKeys.fenceKey("s-1"));
    }

    @Test
    void readsTheTokenOfALeaseOrFenceValue() {
        assertEquals(OptionalLong.of(1763726400123L), SessionLeaseKeys.tokenOf("sup-a|req-1|1763726400123"));
        assertEquals(OptionalLong.of(42L), SessionLeaseKeys.tokenOf("42"));
    }

    @Test
    void ignoresAbsentOrForeignValues() {
        assertEquals(OptionalLong.empty(), SessionLeaseKeys.tokenOf(null));
        assertEquals(OptionalLong.empty(), SessionLeaseKeys.tokenOf("sup-a|req-1|"));
        assertEquals(OptionalLong.empty(), SessionLeaseKeys.tokenOf("sup-a|req-1|abc"));
        assertEquals(OptionalLong.empty(), SessionLeaseKeys.tokenOf("-5"));
    }
}
