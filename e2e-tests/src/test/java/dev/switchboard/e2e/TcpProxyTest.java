package dev.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outages {@link TcpProxy} makes, against an echo server: forwarding, a stall, a cut, and back. */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                Socket client;
                try {
                    client = echo.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (client;
                            InputStream in = client.getInputStream();
                            OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        });
        proxy = TcpProxy.to("redis://127.0.0.1:" + echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void urlKeepsUserPathAndQuery() {
        String url = proxy.url("postgresql://postgres@db.example:5432/app?sslmode=disable");
        assertEquals("postgresql://postgres@127.0.0.1:" + proxy.port() + "/app?sslmode=disable", url);
    }

    @Test
    void aStallHoldsEveryByteOfOpenAndNewConnectionsUntilRestored() throws IOException {
        try (Socket open = connect()) {
            assertEquals("a", roundTrip(open, "a"));
            proxy.stall();
            send(open, "b");
            assertThrows(
                    SocketTimeoutException.class, () -> open.getInputStream().read(), "nothing comes back");
            try (Socket fresh = connect()) {
                send(fresh, "c");
                assertThrows(
                        SocketTimeoutException.class,
                        () -> fresh.getInputStream().read(),
                        "accepted, held");
                proxy.restore();
                assertEquals("b", read(open), "the held bytes go through");
                assertEquals("c", read(fresh));
            }
        }
    }

    @Test
    void aCutClosesOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket open = connect()) {
            assertEquals("a", roundTrip(open, "a"));
            proxy.cut();
            assertClosed(open);
            assertThrows(ConnectException.class, this::connect, "refused");
            proxy.restore();
            try (Socket again = connect()) {
                assertEquals("d", roundTrip(again, "d"));
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port());
        socket.setSoTimeout(300);
        return socket;
    }

    private int port() {
        return proxy.port();
    }

    /** The far end closed the connection: end of stream, or a reset when it had unread bytes. */
    private static void assertClosed(Socket socket) {
        try {
            socket.setSoTimeout(5000);
            assertEquals(-1, socket.getInputStream().read(), "closed");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open", e);
        } catch (IOException e) {
            // reset: closed as well
        }
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        return read(socket);
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        int b = socket.getInputStream().read();
        socket.setSoTimeout(300);
        return b < 0 ? null : String.valueOf((char) b);
    }
}
