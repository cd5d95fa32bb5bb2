package dev.switchboard.common.net;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which addresses outbound calls to agents and agent cards may reach (server-side request forgery guard), used by
 * the registry when an agent or card URL is registered and by the supervisors before every connection.
 *
 * <ul>
 *   <li>Never: link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}, where cloud metadata services
 *       live), the AWS IPv6 metadata address {@code fd00:ec2::254}, unspecified addresses ({@code 0.0.0.0/8},
 *       {@code ::}), multicast and broadcast.
 *   <li>Only when listed in {@code AGENT_URL_ALLOW} (by CIDR, or by the URL's host name): loopback
 *       ({@code 127.0.0.0/8}, {@code ::1}), private ({@code 10.0.0.0/8}, {@code 172.16.0.0/12},
 *       {@code 192.168.0.0/16}, unique-local {@code fc00::/7}, site-local {@code fec0::/10}) and shared
 *       ({@code 100.64.0.0/10}) addresses.
 *   <li>Every other (public) address.
 * </ul>
 *
 * IPv4-mapped, IPv4-compatible and NAT64 ({@code 64:ff9b::/96}) IPv6 addresses are judged by the IPv4 address they
 * carry. A host name is judged by every address it resolves to ({@link #resolve}): one refused address refuses the
 * host, so a name cannot point at the metadata service through one of several records.
 */
@ApplicationScoped
public class OutboundAddressPolicy {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*");
    private static final Cidr EC2_METADATA_V6 = Cidr.parse("fd00:ec2::254/128");
    private static final Cidr SHARED = Cidr.parse("100.64.0.0/10");
    private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");

    private final List<Cidr> allowedRanges;
    private final Set<String> allowedNames;
    private final HostResolver resolver;

    /** Looks up every address of a host name (blocking); {@link InetAddress#getAllByName} unless a test says else. */
    @FunctionalInterface
    public interface HostResolver {
        /**
         * @param host a host name or IP literal
         * @return its addresses, at least one
         * @throws UnknownHostException when it does not resolve
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** CDI constructor: the allow list from {@code AGENT_URL_ALLOW}. */
    @Inject
    public OutboundAddressPolicy(OutboundConfig config) {
        this(config.agentUrlAllow().orElse(List.of()));
    }

    /**
     * A policy resolving with the system resolver.
     *
     * @param allow CIDRs, single addresses and host names (blank entries ignored)
     * @throws IllegalArgumentException for an entry that is none of these (naming {@code AGENT_URL_ALLOW})
     */
    public OutboundAddressPolicy(List<String> allow) {
        this(allow, InetAddress::getAllByName);
    }

    /**
     * @param allow    CIDRs, single addresses and host names (blank entries ignored)
     * @param resolver how host names are looked up
     * @throws IllegalArgumentException for an entry that is none of these (naming {@code AGENT_URL_ALLOW})
     */
    public OutboundAddressPolicy(List<String> allow, HostResolver resolver) {
        this.resolver = resolver;
        List<Cidr> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String raw : allow) {
            String entry = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/")
                    || entry.contains(":")
                    || NUMERIC.matcher(entry).matches()) {
                try {
                    ranges.add(
                            Cidr.parse(entry.contains("/") ? entry : entry + (entry.contains(":") ? "/128" : "/32")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "AGENT_URL_ALLOW: '" + raw.strip() + "' is not a CIDR, an IP address or a host name", e);
                }
            } else if (HOST_NAME.matcher(trimDot(entry)).matches()) {
                names.add(trimDot(entry));
            } else {
                throw new IllegalArgumentException(
                        "AGENT_URL_ALLOW: '" + raw.strip() + "' is not a CIDR, an IP address or a host name");
            }
        }
        this.allowedRanges = List.copyOf(ranges);
        this.allowedNames = Set.copyOf(names);
    }

    /**
     * @param host a URL's host
     * @return whether it is an IPv4 (dotted quad) or IPv6 (with or without brackets) literal, which needs no DNS
     */
    public static boolean isIpLiteral(String host) {
        return host != null && (host.contains(":") || DOTTED_QUAD.matcher(host).matches());
    }

    /**
     * Checks a URL without resolving its host (no DNS, so it may run on an event loop): an IP literal is judged as
     * an address, {@code localhost} (and {@code *.localhost}) as loopback; other host names pass here and are judged
     * by {@link #resolve} when called.
     *
     * @param url an absolute http(s) URL
     * @return why the URL is refused, empty when it is not (or cannot be told without DNS)
     */
    public Optional<String> refusalWithoutDns(URI url) {
        return url.getHost() == null ? Optional.of("has no host") : refusalWithoutDns(url.getHost());
    }

    /**
     * Like {@link #refusalWithoutDns(URI)} for a URL's host.
     *
     * @param host a host name or IP literal (IPv6 with or without brackets)
     * @return why it is refused, empty when it is not (or cannot be told without DNS)
     */
    public Optional<String> refusalWithoutDns(String host) {
        String name = trimDot(unbracket(host).toLowerCase(Locale.ROOT));
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return refusal(name, InetAddress.getLoopbackAddress());
        }
        if (NUMERIC.matcher(name).matches()) {
            Matcher quad = DOTTED_QUAD.matcher(name);
            if (!quad.matches()) {
                return Optional.of("host " + host + " is a numeric address that is not a dotted-quad IPv4 address");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(quad.group(i + 1));
                if (part > 255) {
                    return Optional.of("host " + host + " is not a valid IPv4 address");
                }
                bytes[i] = (byte) part;
            }
            try {
                return refusal(null, InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always an address
            }
        }
        if (name.contains(":")) {
            try {
                // in brackets an IPv6 literal is parsed, never looked up (even when it is not a valid one)
                return refusal(null, InetAddress.getByName("[" + name + "]"));
            } catch (UnknownHostException e) {
                return Optional.of("host " + host + " is not a valid IPv6 address");
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code host} and checks every address it resolves to. Blocking (DNS): call it off the event loop.
     *
     * @param host a URL's host (IPv6 literals with or without brackets)
     * @return the addresses, all allowed, in the resolver's order
     * @throws UnknownHostException       when the name does not resolve
     * @throws AddressNotAllowedException when any address is refused
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String name = trimDot(unbracket(host).toLowerCase(Locale.ROOT));
        Optional<String> literal = refusalWithoutDns(name);
        if (literal.isPresent()) {
            throw new AddressNotAllowedException("host " + host + ": " + literal.get());
        }
        List<InetAddress> addresses = Arrays.asList(resolver.resolve(name));
        for (InetAddress address : addresses) {
            Optional<String> refused = refusal(name, address);
            if (refused.isPresent()) {
                throw new AddressNotAllowedException("host " + host + ": " + refused.get());
            }
        }
        return addresses;
    }

    /**
     * @param host    the host name the address was resolved from (for name entries of the allow list), or
     *                {@code null} for a literal
     * @param address the address to judge
     * @return why it is refused, empty when allowed
     */
    public Optional<String> refusal(String host, InetAddress address) {
        InetAddress judged = embeddedIpv4(address);
        String shown = address.getHostAddress();
        if (judged.isAnyLocalAddress() || THIS_NETWORK.contains(judged)) {
            return Optional.of(shown + " is an unspecified address, never allowed");
        }
        if (judged.isLinkLocalAddress() || EC2_METADATA_V6.contains(judged)) {
            return Optional.of(shown + " is a link-local or cloud metadata address, never allowed");
        }
        if (judged.isMulticastAddress() || isBroadcast(judged)) {
            return Optional.of(shown + " is a multicast or broadcast address, never allowed");
        }
        boolean restricted = judged.isLoopbackAddress()
                || judged.isSiteLocalAddress()
                || UNIQUE_LOCAL.contains(judged)
                || SHARED.contains(judged);
        if (!restricted) {
            return Optional.empty();
        }
        if ((host != null && allowedNames.contains(trimDot(host.toLowerCase(Locale.ROOT))))
                || allowedRanges.stream().anyMatch(r -> r.contains(judged) || r.contains(address))) {
            return Optional.empty();
        }
        return Optional.of(shown + " is a loopback or private address; list it in AGENT_URL_ALLOW to allow it");
    }

    private static boolean isBroadcast(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
    }

    /** The IPv4 address an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 IPv6 address carries, else the address. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        // :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones
        boolean ownMeaning = compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
        if ((compatible && !ownMeaning) || NAT64.contains(address)) {
            try {
                return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** An address range: the first {@code bits} bits of {@code prefix}. */
    private record Cidr(byte[] prefix, int bits) {

        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = cidr.substring(0, slash);
            if (!address.contains(":") && !DOTTED_QUAD.matcher(address).matches()) {
                throw new IllegalArgumentException("not an IP address: " + address);
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress(); // literals only (checked above): no DNS
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + address, e);
            }
            int bits;
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + cidr, e);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
            return new Cidr(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
