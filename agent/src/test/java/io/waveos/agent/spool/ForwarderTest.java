package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding to a real HTTP server on loopback; the spool in a fake storage with virtual time. */
class ForwarderTest {
    private final FakeStorage storage = new FakeStorage();
    private final SpoolFixture f = new SpoolFixture();
    private final List<Long> received = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private HttpServer server;
    private HttpTarget http;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/logs", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else {
                synchronized (received) {
                    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                        try {
                            received.add((Long) Json.parseObject(line.getBytes(StandardCharsets.UTF_8)).get("seq"));
                        } catch (Json.ParseException e) {
                            throw new IOException("the forwarder sent a line that is not JSON: " + line, e);
                        }
                    }
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        http = new HttpTarget("http", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/logs"),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void write(int from, int to) throws IOException {
        try (SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 4096, 1 << 20))) {
            for (int i = from; i < to; i++) {
                w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
            }
        }
    }

    private Forwarder forwarder(ForwardTarget target) throws IOException {
        return new Forwarder(target, storage, SpoolFixture.DIR, new Forwarder.Settings(25, Duration.ofMillis(200),
                Duration.ofMillis(100), Duration.ofSeconds(5), 3, Duration.ofSeconds(30)), f.time, () -> 0.5,
                f.events::add);
    }

    private static void drain(Forwarder fw) {
        for (int i = 0; i < 1000 && fw.step().isZero(); i++) {
            // each zero step sent a batch; a non-zero wait means idle or failing
        }
    }

    @Test
    void resumesAfterARestartWithoutLossCountingTheDuplicates() throws IOException {
        write(0, 100);
        Forwarder first = forwarder(http);
        assertEquals(Duration.ZERO, first.step());
        assertEquals(25, received.size());
        // The agent dies after the target took the second batch but before the cursor was persisted.
        ForwardTarget dying = new ForwardTarget() {
            @Override
            public String name() {
                return "http";
            }

            @Override
            public void send(List<SpoolRecord> batch) throws IOException {
                http.send(batch);
                throw new IOException("the agent died before persisting the cursor");
            }
        };
        forwarder(dying).step();
        assertEquals(50, received.size());

        write(100, 120); // the spool goes on while forwarding is down
        Forwarder restarted = forwarder(http);
        drain(restarted);
        assertEquals(25, restarted.duplicates(), "the unacknowledged batch is sent again and counted");
        TreeSet<Long> distinct = new TreeSet<>(received);
        assertEquals(120, distinct.size(), "nothing lost");
        assertEquals(0L, distinct.first());
        assertEquals(119L, distinct.last());
        assertEquals(145, received.size(), "exactly the one batch twice");
    }

    @Test
    void backsOffWithJitterThenOpensTheBreakerAndClosesItWhenTheTargetRecovers() throws IOException {
        write(0, 30);
        Forwarder fw = forwarder(http);
        failNext.set(4);
        assertEquals(Duration.ofMillis(75), fw.step(), "first retry: half of 100 ms plus half of the jitter range");
        assertEquals(Duration.ofMillis(150), fw.step());
        assertEquals(Duration.ofSeconds(30), fw.step(), "third failure in a row opens the breaker");
        assertEquals(Forwarder.Breaker.OPEN, fw.breaker());
        assertEquals(Duration.ofSeconds(30), fw.step(), "open: nothing is sent");
        f.time.advance(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), fw.step(), "the half-open trial fails: open again");
        f.time.advance(Duration.ofSeconds(30));
        assertEquals(Duration.ZERO, fw.step(), "the trial succeeds");
        assertEquals(Forwarder.Breaker.CLOSED, fw.breaker());
        drain(fw);
        assertEquals(30, new TreeSet<>(received).size());
        assertEquals(List.of("open", "closed"), f.events.stream()
                .filter(e -> e.code().wire().equals("spool.forward_breaker")).map(e -> e.fields().get("state")).toList());
    }

    @Test
    void forwardsToAFileTailAsJsonLines() throws Exception {
        write(0, 40);
        Path out = Path.of("/var/log/forwarded.jsonl");
        drain(forwarder(new FileTarget("tail", storage, out)));
        String[] lines = new String(storage.durableContent(out).orElseThrow(), StandardCharsets.UTF_8).split("\n");
        assertEquals(40, lines.length);
        var last = Json.parseObject(lines[39].getBytes(StandardCharsets.UTF_8));
        assertEquals(39L, last.get("seq"));
        assertEquals("web", last.get("service"));
        assertEquals("stdout", last.get("stream"));
        assertEquals(new String(SpoolFixture.line(39), StandardCharsets.UTF_8), last.get("line"));
        assertTrue(storage.read(SpoolFixture.DIR.resolve("forward-tail.cursor")).isPresent());
    }
}
