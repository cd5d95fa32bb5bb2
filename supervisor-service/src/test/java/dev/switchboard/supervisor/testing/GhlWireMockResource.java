package dev.switchboard.supervisor.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Fakes the GoHighLevel API with a WireMock server (conversations and calendars endpoints) and plays GoHighLevel's
 * webhook signer: generates an Ed25519 and an RSA-2048 key pair per run, configures their public keys as the
 * webhook verification keys (Ed25519 as bare base64 SPKI, RSA as PEM) and signs bodies with the private keys.
 * Also sets the GHL token, location, calendar and assigned user, the webhooks' accepted locations
 * ({@link #LOCATION}, {@link #LOCATION_2}) and app id, and the workflow provider's shared secret.
 *
 * <p>Default stub: {@code POST /conversations/messages} answers 200 with a fresh {@code messageId}. Tests reset with
 * {@code server.resetAll(); GhlWireMockResource.stubDefaults(server)}.
 */
public class GhlWireMockResource implements QuarkusTestResourceLifecycleManager {

    /** {@code GHL_API_TOKEN} in tests. */
    public static final String TOKEN = "ghl-test-token";
    /** {@code GHL_LOCATION_ID} in tests. */
    public static final String LOCATION = "locTest01";
    /** {@code GHL_CALENDAR_ID} in tests. */
    public static final String CALENDAR = "calTest01";
    /** {@code GHL_ASSIGNED_USER_ID} in tests. */
    public static final String ASSIGNED_USER = "userTest01";
    /** A second location in {@code GHL_LOCATION_IDS} (webhooks only; API calls use {@link #LOCATION}). */
    public static final String LOCATION_2 = "locTest02";
    /** {@code GHL_APP_ID} in tests. */
    public static final String APP_ID = "appTest01";
    /** {@code WEBHOOK_SECRET} in tests. */
    public static final String WORKFLOW_SECRET = "wf-secret-for-tests";

    private static volatile WireMockServer server;
    private static volatile KeyPair ed25519;
    private static volatile KeyPair rsa;

    private WireMockServer own;

    @Override
    public Map<String, String> start() {
        try {
            ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
            rsaGenerator.initialize(2048);
            rsa = rsaGenerator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        own = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        own.start();
        server = own;
        stubDefaults(own);
        String rsaPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.rest-client.ghl.url", own.baseUrl());
        props.put("supervisor.ghl.api-token", TOKEN);
        props.put("supervisor.ghl.location-id", LOCATION);
        props.put("supervisor.ghl.calendar-id", CALENDAR);
        props.put("supervisor.ghl.assigned-user-id", ASSIGNED_USER);
        props.put(
                "supervisor.webhook.ghl.public-key-ed25519",
                Base64.getEncoder().encodeToString(ed25519.getPublic().getEncoded()));
        props.put("supervisor.webhook.ghl.public-key-rsa", rsaPem);
        props.put("supervisor.webhook.ghl.location-ids", LOCATION + "," + LOCATION_2);
        props.put("supervisor.webhook.ghl.app-id", APP_ID);
        props.put("supervisor.webhook.workflow.secret", WORKFLOW_SECRET);
        return props;
    }

    @Override
    public void stop() {
        if (own != null) {
            own.stop();
        }
    }

    /** @return the running fake GHL API */
    public static WireMockServer server() {
        return server;
    }

    /** Installs the default stub: message sends succeed with a new message id. */
    public static void stubDefaults(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo("/conversations/messages"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"conversationId\":\"conv-{{jsonPath request.body '$.contactId'}}\","
                                + "\"messageId\":\"msg-{{randomValue type='UUID'}}\",\"traceId\":\"t-1\"}")
                        .withTransformers("response-template")));
    }

    /** @return base64 Ed25519 signature of the body, as in {@code x-ghl-signature} */
    public static String signEd25519(String body) {
        return sign("Ed25519", ed25519.getPrivate(), body);
    }

    /** @return base64 RSA-SHA256 (PKCS#1 v1.5) signature of the body, as in {@code x-wh-signature} */
    public static String signRsa(String body) {
        return sign("SHA256withRSA", rsa.getPrivate(), body);
    }

    private static String sign(String algorithm, PrivateKey key, String body) {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
