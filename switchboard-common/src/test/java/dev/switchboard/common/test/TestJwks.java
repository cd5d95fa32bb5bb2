package dev.switchboard.common.test;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A stand-in identity provider for tests: an RSA and an EC P-256 key, their public JSON Web Key Set served on
 * 127.0.0.1 (a small JDK HTTP server, started once per JVM), and access tokens signed with them.
 * {@link InfrastructureTestResource} points every service at it ({@code JWT_JWKS_URL}, {@code JWT_ISSUER},
 * {@code JWT_AUDIENCE}).
 */
public final class TestJwks {

    /** {@code iss} of the stand-in identity provider. */
    public static final String ISSUER = "https://idp.switchboard.test/realms/test";
    /** The audience the services accept from it. */
    public static final String AUDIENCE = "switchboard-api";

    private static RsaJsonWebKey rsa;
    private static EllipticCurveJsonWebKey ec;
    private static RsaJsonWebKey foreign;
    private static String url;

    private TestJwks() {}

    /** @return the configuration that makes a service accept this identity provider's tokens */
    public static synchronized Map<String, String> config() {
        start();
        return Map.of(
                "switchboard.jwt.jwks-url", url,
                "switchboard.jwt.issuer", ISSUER,
                "switchboard.jwt.audience", AUDIENCE);
    }

    /** @return claims of a 5-minute access token for {@code subject} with {@code roles} in {@code groups} */
    public static JwtClaimsBuilder claims(String subject, Set<String> roles) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .groups(roles)
                .expiresIn(Duration.ofMinutes(5));
    }

    /** @return an RS256 access token for {@code subject} with {@code roles} */
    public static String token(String subject, Set<String> roles) {
        return rs256(claims(subject, roles));
    }

    /** @return {@code claims} signed RS256 with the identity provider's RSA key */
    public static String rs256(JwtClaimsBuilder claims) {
        start();
        return claims.jws()
                .keyId(rsa.getKeyId())
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(rsa.getPrivateKey());
    }

    /** @return {@code claims} signed ES256 with the identity provider's EC key */
    public static String es256(JwtClaimsBuilder claims) {
        start();
        return claims.jws()
                .keyId(ec.getKeyId())
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256)
                .sign(ec.getPrivateKey());
    }

    /** @return {@code claims} signed RS256 with a key the identity provider never published, under its key id */
    public static String rs256WithForeignKey(JwtClaimsBuilder claims) {
        start();
        return claims.jws()
                .keyId(rsa.getKeyId())
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(foreign.getPrivateKey());
    }

    private static synchronized void start() {
        if (url != null) {
            return;
        }
        try {
            rsa = RsaJwkGenerator.generateJwk(2048);
            rsa.setKeyId("test-rsa");
            rsa.setUse("sig");
            ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            ec.setKeyId("test-ec");
            ec.setUse("sig");
            foreign = RsaJwkGenerator.generateJwk(2048);
            byte[] jwks = new JsonWebKeySet(rsa, ec)
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    .getBytes(StandardCharsets.UTF_8);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(jwks);
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
