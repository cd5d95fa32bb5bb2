package dev.switchboard.supervisor.testing;

import io.a2a.server.TransportMetadata;

/**
 * Declares (ServiceLoader, {@code META-INF/services/io.a2a.server.TransportMetadata}) that {@link A2aTestServer}
 * serves the JSON-RPC transport, as the SDK's reference server module does; the SDK's card validator checks it.
 */
public class A2aJsonRpcTransportMetadata implements TransportMetadata {

    @Override
    public String getTransportProtocol() {
        return "JSONRPC";
    }
}
