package dev.switchboard.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which agent URLs the outbound address policy lets through, with and without {@code AGENT_URL_ALLOW}. */
class OutboundAddressPolicyTest {

    private static final OutboundAddressPolicy PUBLIC_ONLY = new OutboundAddressPolicy(List.of());
    private static final OutboundAddressPolicy LOCAL =
            new OutboundAddressPolicy(List.of("127.0.0.0/8", "::1", "localhost"));
    private static final OutboundAddressPolicy EVERYTHING = new OutboundAddressPolicy(List.of("0.0.0.0/0", "::/0"));

    private static Optional<String> check(OutboundAddressPolicy policy, String url) {
        return policy.refusalWithoutDns(URI.create(url));
    }

    @Test
    void metadataLinkLocalAndUnspecifiedAddressesAreNeverAllowed() {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://169.254.1.1:8080/",
                "http://[fe80::1]/",
                "http://[fd00:ec2::254]/",
                "http://0.0.0.0:8080/",
                "http://0.1.2.3/",
                "http://[::]/",
                "http://[::ffff:169.254.169.254]/",
                "http://[::a9fe:a9fe]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://224.0.0.1/",
                "http://255.255.255.255/")) {
            assertTrue(check(PUBLIC_ONLY, url).isPresent(), url);
            assertTrue(check(EVERYTHING, url).isPresent(), url + " even when everything is allowed");
        }
    }

    @Test
    void loopbackAndPrivateAddressesOnlyWhenAllowed() {
        for (String url : List.of(
                "http://127.0.0.1:9/",
                "http://127.1.2.3/",
                "http://[::1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://localhost:8080/",
                "http://10.0.0.5/",
                "http://172.16.0.1/",
                "http://172.31.255.255/",
                "http://192.168.1.1/",
                "http://[fc00::1]/",
                "http://[fd12:3456::1]/",
                "http://100.64.0.1/")) {
            assertTrue(check(PUBLIC_ONLY, url).isPresent(), url);
            assertTrue(check(EVERYTHING, url).isEmpty(), url);
        }
        assertTrue(check(LOCAL, "http://127.0.0.1:9/").isEmpty());
        assertTrue(check(LOCAL, "http://[::1]:9/").isEmpty());
        assertTrue(check(LOCAL, "http://localhost:9/").isEmpty());
        assertTrue(check(LOCAL, "http://10.0.0.5/").isPresent(), "10/8 is not in the list");
        assertTrue(check(new OutboundAddressPolicy(List.of("10.1.0.0/16")), "http://10.1.200.3/")
                .isEmpty());
        assertTrue(check(new OutboundAddressPolicy(List.of("10.1.0.0/16")), "http://10.2.0.3/")
                .isPresent());
    }

    @Test
    void publicAddressesAndHostNamesPassWithoutDns() {
        for (String url : List.of(
                "https://93.184.215.14/",
                "http://172.32.0.1/",
                "http://[2001:db8::1]/",
                "https://agent.example.com/")) {
            assertTrue(check(PUBLIC_ONLY, url).isEmpty(), url);
        }
    }

    @Test
    void oddNumericHostsAreRefused() {
        assertTrue(check(EVERYTHING, "http://2852039166/").isPresent(), "169.254.169.254 as one number");
        assertTrue(check(EVERYTHING, "http://1.2.3.400/").isPresent());
    }

    @Test
    void resolveChecksEveryAddressOfAName() throws Exception {
        AddressNotAllowedException refused =
                assertThrows(AddressNotAllowedException.class, () -> PUBLIC_ONLY.resolve("localhost"));
        assertTrue(refused.getMessage().contains("AGENT_URL_ALLOW"), refused.getMessage());
        assertTrue(LOCAL.resolve("localhost").stream().allMatch(InetAddress::isLoopbackAddress));
        assertEquals(1, LOCAL.resolve("127.0.0.1").size());
        assertThrows(AddressNotAllowedException.class, () -> EVERYTHING.resolve("169.254.169.254"));
        assertThrows(AddressNotAllowedException.class, () -> EVERYTHING.resolve("[fe80::1]"));
        assertThrows(AddressNotAllowedException.class, () -> EVERYTHING.resolve("zz:1"), "not IPv6, never looked up");
        // a name URI parsing rejects (underscore) is still judged by its addresses
        OutboundAddressPolicy fakeDns = new OutboundAddressPolicy(
                List.of("10.0.0.0/8"), host -> new InetAddress[] {InetAddress.getByName("10.1.2.3")});
        assertEquals(1, fakeDns.resolve("weather_agent").size());
        // a name that is allowed may resolve to a private address, never to a metadata one
        OutboundAddressPolicy byName = new OutboundAddressPolicy(List.of("localhost"));
        assertTrue(
                byName.refusal("localhost", InetAddress.getByName("10.0.0.1")).isEmpty());
        assertTrue(byName.refusal("localhost", InetAddress.getByName("169.254.169.254"))
                .isPresent());
        assertTrue(byName.refusal("other", InetAddress.getByName("10.0.0.1")).isPresent());
    }

    @Test
    void aBrokenAllowEntryFailsNamingTheSetting() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OutboundAddressPolicy(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().contains("AGENT_URL_ALLOW"));
        assertThrows(IllegalArgumentException.class, () -> new OutboundAddressPolicy(List.of("not a host")));
    }
}
