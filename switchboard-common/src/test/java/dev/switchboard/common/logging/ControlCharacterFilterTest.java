package dev.switchboard.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Control characters in log messages are escaped, so a message stays one line. */
class ControlCharacterFilterTest {

    @Test
    void escapesLineBreaksAndOtherControlCharacters() {
        assertEquals("x\\nFAKE LOG LINE", ControlCharacterFilter.escape("x\nFAKE LOG LINE"));
        assertEquals(
                "a\\r\\nb\\tc\\u0000d\\u001be\\u007ff\\u0085g\\u2028h\\u2029i",
                ControlCharacterFilter.escape("a\r\nb\tc\u0000d\u001be\u007ff\u0085g\u2028h\u2029i"));
        String plain = "user 'alice' logged in from 10.0.0.1 (é, ü, 日本)";
        assertSame(plain, ControlCharacterFilter.escape(plain), "nothing to escape: the same string");
    }

    @Test
    void escapesTheFormattedMessageOfARecord() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "Failed login for user name '%s' from %s", "test");
        record.setParameters(new Object[] {"x\nFAKE LOG LINE", "127.0.0.1"});
        record.setMessage("Failed login for user name '%s' from %s", ExtLogRecord.FormatStyle.PRINTF);
        new ControlCharacterFilter().isLoggable(record);
        assertEquals("Failed login for user name 'x\\nFAKE LOG LINE' from 127.0.0.1", record.getFormattedMessage());
    }
}
