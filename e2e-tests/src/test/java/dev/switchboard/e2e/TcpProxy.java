package dev.switchboard.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy the test controls, between the services and Redis or PostgreSQL: {@code 127.0.0.1:<free port>} forwards
 * every connection to the real server until the test cuts it. Two kinds of outage:
 *
 * <ul>
 * <li>{@link #cut()}: every connection is closed and new ones are refused (nothing listens on the port), as when the
 * server is down or its host is gone;</li>
 * <li>{@link #stall()}: connections stay open but no byte goes through in either direction, and new connections are
 * accepted and held the same way, as when the server hangs ({@code CLIENT PAUSE}, a stopped process) or the network
 * drops packets without resets. Clients then see no error at all, only silence: the nastier case.</li>
 * </ul>
 *
 * {@link #restore()} ends either: after a stall the held bytes flow on; after a cut clients connect anew. Blocking
 * sockets on virtual threads, one pair of pumps per connection; the server's address is fixed at creation.
 */
final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD,
        STALL,
        CUT
    }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    // guarded by gate
    private Mode mode = Mode.FORWARD;
    private ServerSocket listener;
    private boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = first.getLocalPort();
        listen(first);
    }

    /**
     * Starts a proxy to the server a URL names ({@code redis://host:port/db}, {@code postgresql://user@host:port/db}).
     *
     * @return the running proxy; {@link #url(String)} gives the URL to hand the services
     */
    static TcpProxy to(String url) {
        URI uri = URI.create(url);
        int defaultPort = uri.getScheme().startsWith("redis") ? 6379 : 5432;
        try {
            return new TcpProxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a proxy to " + uri.getHost(), e);
        }
    }

    /** @return the port the proxy listens on, on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return {@code url} with its host and port replaced by this proxy's (credentials, path and query kept) */
    String url(String url) {
        URI uri = URI.create(url);
        String user = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return uri.getScheme() + "://" + user + "127.0.0.1:" + port + path + query;
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    void cut() {
        ServerSocket old;
        synchronized (gate) {
            mode = Mode.CUT;
            old = listener;
            listener = null;
            gate.notifyAll();
        }
        closeQuietly(old);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    /** Holds every byte, of open and of new connections, until {@link #restore()}; nothing is closed. */
    void stall() {
        synchronized (gate) {
            mode = Mode.STALL;
        }
    }

    /** Forwards again: held bytes and connections go through; after a cut the port accepts connections again. */
    void restore() {
        boolean relisten;
        synchronized (gate) {
            relisten = mode == Mode.CUT && !closed;
            mode = Mode.FORWARD;
            gate.notifyAll();
        }
        if (relisten) {
            try {
                ServerSocket again = new ServerSocket();
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                listen(again);
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on port " + port + " again", e);
            }
        }
    }

    /** Stops for good: the listener and every connection are closed. */
    @Override
    public void close() {
        synchronized (gate) {
            closed = true;
        }
        cut();
    }

    private void listen(ServerSocket server) {
        synchronized (gate) {
            listener = server;
        }
        Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> {
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed by cut() or close()
                }
                sockets.add(client);
                Thread.ofVirtual().start(() -> connect(client));
            }
        });
    }

    /** A new client connection: waits out a stall, then connects to the server and starts both pumps. */
    private void connect(Socket client) {
        Socket server = null;
        try {
            if (!awaitForward()) {
                drop(client);
                return;
            }
            server = new Socket(targetHost, targetPort);
            sockets.add(server);
            Socket upstream = server;
            Thread.ofVirtual().start(() -> pump(client, upstream));
            Thread.ofVirtual().start(() -> pump(upstream, client));
        } catch (IOException e) {
            drop(client);
            drop(server);
        }
    }

    /** Copies {@code from} to {@code to}, each chunk only while forwarding; closes both at the end. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!awaitForward()) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed (or the test cut it): the connection ends
        } finally {
            drop(from);
            drop(to);
        }
    }

    /** @return {@code true} once forwarding, {@code false} when the proxy was cut meanwhile */
    private boolean awaitForward() {
        synchronized (gate) {
            while (mode == Mode.STALL) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return mode == Mode.FORWARD;
        }
    }

    /** Closes a connection's socket and forgets it. */
    private void drop(Socket socket) {
        if (socket != null) {
            sockets.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
