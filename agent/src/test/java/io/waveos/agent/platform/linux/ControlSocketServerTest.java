package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketServerTest {
    @TempDir
    Path dir;

    private static String raw(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                // until closed
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersARequestWithTheHandlersReplyAndNamesThePeer() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket, (request, operator) -> {
            seen.add(request + " by " + operator);
            return CompletableFuture.completedFuture("ok " + request + "\n");
        });
        try {
            assertEquals("ok status\n", ControlSocketServer.request(socket, "status"));
        } finally {
            server.close();
        }
        assertEquals(List.of("status by " + System.getProperty("user.name")), seen);
    }

    @Test
    void socketIsOnlyForTheAgentsUser() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket,
                (r, o) -> CompletableFuture.completedFuture("ok\n"));
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        } finally {
            server.close();
        }
        assertTrue(!Files.exists(socket), "socket file left after close");
    }

    @Test
    void refusesAnOverlongRequestWithoutCallingTheHandler() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket, (r, o) -> {
            seen.add(r);
            return CompletableFuture.completedFuture("ok\n");
        });
        try {
            String reply = raw(socket, "x".repeat(5000).getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply.startsWith("error request longer than 1024 bytes"), reply);
        } finally {
            server.close();
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void refusesBinaryRequestsNamingTheOffendingByte() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket,
                (r, o) -> CompletableFuture.completedFuture("ok\n"));
        try {
            String reply = raw(socket, new byte[] {'s', 't', 0, (byte) 0xff, '\n'});
            assertEquals("error request is not plain ASCII text (byte 0x0 at offset 2)\n", reply);
        } finally {
            server.close();
        }
    }

    @Test
    void givesUpOnAClientThatConnectsAndSaysNothing() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket,
                (r, o) -> CompletableFuture.completedFuture("ok\n"));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                // the server answers and closes after its read timeout
            }
            assertEquals("error no complete request line within 5 s\n",
                    new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        } finally {
            server.close();
        }
    }

    @Test
    void reportsAHandlerThatNeverAnswers() throws Exception {
        // The reply timeout is 10 s; a failed future is the fast equivalent of a stuck loop's answer.
        Path socket = dir.resolve("control.sock");
        ControlSocketServer server = new ControlSocketServer(socket,
                (r, o) -> CompletableFuture.failedFuture(new IllegalStateException("loop stopped")));
        try {
            assertEquals("error loop stopped\n", ControlSocketServer.request(socket, "status"));
        } finally {
            server.close();
        }
    }

    @Test
    void replacesAStaleSocketFileLeftByACrashedAgent() throws Exception {
        Path socket = dir.resolve("control.sock");
        Files.writeString(socket, "stale");
        ControlSocketServer server = new ControlSocketServer(socket,
                (r, o) -> CompletableFuture.completedFuture("ok\n"));
        try {
            assertEquals("ok\n", ControlSocketServer.request(socket, "status"));
        } finally {
            server.close();
        }
    }

    @Test
    void clientReportsThatNoAgentListens() {
        assertThrows(IOException.class, () -> ControlSocketServer.request(dir.resolve("none.sock"), "status"));
    }
}
