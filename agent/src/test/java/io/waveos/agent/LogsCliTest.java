package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.spool.SpoolCounters;
import io.waveos.agent.spool.SpoolWriter;
import io.waveos.agent.spool.Stream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogsCliTest {
    private static final Path DIR = Path.of("/var/log/waveos/spool");
    private final FakeStorage storage = new FakeStorage();
    private final FakeTime time = new FakeTime();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private SpoolWriter writer() {
        return SpoolWriter.open(storage, new SpoolConfig(true, DIR, SpoolConfig.Durability.ALWAYS, 1,
                Duration.ofMillis(100), 4096, Duration.ofHours(1), 1 << 20, Duration.ofDays(1), 1024, 1 << 16, false),
                time, time, e -> { }, new SpoolCounters());
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void printsOneServiceSinceAnInstantAndFollowsNewRecordsAcrossSegments() throws Exception {
        SpoolWriter w = writer();
        w.append("web", Stream.STDOUT, 0, text("old line"));
        time.advance(Duration.ofHours(2));
        w.append("db", Stream.STDERR, 0, text("db line"));
        w.append("web", Stream.STDERR, 0, text("bad \u00ff byte".replace('\u00ff', '?')));
        AtomicInteger polls = new AtomicInteger();
        Runnable pause = () -> {
            // While the command waits, the service writes enough to start new segments.
            for (int i = 0; i < 100; i++) {
                w.append("web", Stream.STDOUT, 0, text("new " + polls.get() + " " + i + " " + "y".repeat(40)));
            }
        };
        int code = new LogsCli(storage, out, out, pause, () -> polls.incrementAndGet() <= 2)
                .run(new String[] {"--dir", DIR.toString(), "--service", "web", "--since", "1h", "--follow"}, time.now());
        assertEquals(0, code);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(201, lines.size(), "the recent web line and two polls of 100: " + lines.get(0));
        assertTrue(lines.get(0).endsWith(" web stderr 2 | bad ? byte"), lines.get(0));
        assertTrue(lines.get(200).contains(" web stdout 202 | new 2 99 "), lines.get(200));
        assertTrue(storage.list(DIR).size() > 2, "the follow crossed segments: " + storage.list(DIR));
    }

    @Test
    void refusesAnUnknownOptionOrABadSince() {
        assertEquals(2, new LogsCli(storage, out, out, () -> { }, () -> false).run(new String[] {"--tail"}, time.now()));
        assertEquals(2, new LogsCli(storage, out, out, () -> { }, () -> false)
                .run(new String[] {"--dir", "/x", "--since", "yesterday"}, time.now()));
    }
}
