package dev.switchboard.common.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    /** FIPS 180-4's example "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesTextAsUtf8AndBytesAsConcatenatedParts() {
        assertEquals(ABC, Sha256.hex("abc"));
        assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ABC, Sha256.hex(new byte[] {'a'}, new byte[0], new byte[] {'b', 'c'}));
        assertArrayEquals(Sha256.digest("é"), Sha256.digest("é".getBytes(StandardCharsets.UTF_8)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(""));
    }

    @Test
    void comparesDigestsByContent() {
        assertTrue(Sha256.same(Sha256.digest("k"), Sha256.digest("k")));
        assertFalse(Sha256.same(Sha256.digest("k"), Sha256.digest("K")));
        assertFalse(Sha256.same(null, Sha256.digest("k")));
        assertEquals("00ff10", Sha256.toHex(new byte[] {0, (byte) 0xff, 0x10}));
    }
}
