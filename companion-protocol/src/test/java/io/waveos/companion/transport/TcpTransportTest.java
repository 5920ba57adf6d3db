package io.waveos.companion.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private TcpListener listener;
    private final List<ByteTransport> transports = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        listener = new TcpListener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void closeEverything() {
        transports.forEach(ByteTransport::close);
        listener.close();
    }

    @Test
    void carriesEveryByteValueAndA64KiBBurstBothWaysInOrder() throws IOException {
        RecordingReceiver atClient = new RecordingReceiver();
        RecordingReceiver atServer = new RecordingReceiver();
        TcpTransport client = client();
        client.open(atClient);
        TcpTransport server = accepted();
        server.open(atServer);

        byte[] everyValue = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyValue[i] = (byte) i;
        }
        byte[] burst = new byte[64 * 1024];
        new Random(1).nextBytes(burst);
        client.send(everyValue);
        client.send(burst);
        server.send(burst);
        server.send(everyValue);

        int total = everyValue.length + burst.length;
        Eventually.until(BOUND, () -> atServer.size() == total && atClient.size() == total,
                () -> "server has " + atServer.size() + ", client has " + atClient.size() + " of " + total);
        assertArrayEquals(concat(everyValue, burst), atServer.bytes());
        assertArrayEquals(concat(burst, everyValue), atClient.bytes());
    }

    @Test
    void peerClosingIsReportedOnceAsOnClosed() throws IOException {
        RecordingReceiver atClient = new RecordingReceiver();
        RecordingReceiver atServer = new RecordingReceiver();
        TcpTransport client = client();
        client.open(atClient);
        accepted().open(atServer);

        client.close();
        assertEquals(List.of("closed locally"), atClient.closes(), "onClosed before close returns");

        Eventually.until(BOUND, () -> !atServer.closes().isEmpty(), () -> "server onClosed");
        assertEquals(List.of("peer closed the connection"), atServer.closes());
        client.close();
        assertEquals(List.of("closed locally"), atClient.closes());
    }

    @Test
    void clientReconnectsAfterThePeerWentAway() throws IOException {
        RecordingReceiver first = new RecordingReceiver();
        TcpTransport client = client();
        client.open(first);
        accepted().close();
        Eventually.until(BOUND, () -> !first.closes().isEmpty(), () -> "client onClosed");
        assertThrows(IOException.class, () -> client.send(new byte[] {1}));

        RecordingReceiver second = new RecordingReceiver();
        client.open(second);
        RecordingReceiver atServer = new RecordingReceiver();
        accepted().open(atServer);
        client.send(new byte[] {7});

        Eventually.until(BOUND, () -> atServer.size() == 1, () -> "byte after reconnect");
        assertEquals(List.of("peer closed the connection"), first.closes());
    }

    @Test
    void listenerReplacesThePreviousPeerWhenANewOneConnects() throws IOException {
        RecordingReceiver firstClient = new RecordingReceiver();
        RecordingReceiver firstServer = new RecordingReceiver();
        client().open(firstClient);
        accepted().open(firstServer);

        RecordingReceiver secondServer = new RecordingReceiver();
        TcpTransport secondClient = client();
        secondClient.open(new RecordingReceiver());
        accepted().open(secondServer);
        secondClient.send(new byte[] {5});

        assertEquals(List.of("replaced by a newer peer"), firstServer.closes());
        Eventually.until(BOUND, () -> !firstClient.closes().isEmpty(), () -> "first client onClosed");
        Eventually.until(BOUND, () -> secondServer.size() == 1, () -> "byte from the second client");
    }

    @Test
    void connectingWhereNobodyListensFails() throws IOException {
        InetSocketAddress vacant;
        try (TcpListener temporary = new TcpListener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            vacant = temporary.localAddress();
        }
        TcpTransport client = new TcpTransport(vacant, Duration.ofSeconds(2));

        assertThrows(IOException.class, () -> client.open(new RecordingReceiver()));
    }

    @Test
    void acceptGivesUpAfterItsTimeout() {
        assertThrows(SocketTimeoutException.class, () -> listener.accept(Duration.ofMillis(50)));
    }

    @Test
    void refusesToSendBeforeOpenAndToOpenTwice() throws IOException {
        TcpTransport client = client();
        assertThrows(IOException.class, () -> client.send(new byte[] {1}));
        client.open(new RecordingReceiver());
        assertThrows(IllegalStateException.class, () -> client.open(new RecordingReceiver()));
    }

    @Test
    void anAcceptedConnectionCannotBeReopened() throws IOException {
        client().open(new RecordingReceiver());
        TcpTransport server = accepted();
        RecordingReceiver atServer = new RecordingReceiver();
        server.open(atServer);
        server.close();

        assertTrue(server.describe().startsWith("tcp peer /127.0.0.1:"), server.describe());
        assertThrows(IOException.class, () -> server.open(new RecordingReceiver()));
        assertEquals(List.of("closed locally"), atServer.closes());
    }

    private TcpTransport client() {
        TcpTransport client = new TcpTransport(listener.localAddress(), Duration.ofSeconds(5));
        transports.add(client);
        return client;
    }

    private TcpTransport accepted() throws IOException {
        TcpTransport server = listener.accept(BOUND);
        transports.add(server);
        return server;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
