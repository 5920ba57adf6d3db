package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.linux.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer thread: acknowledgements only once durable, failures never acknowledged. */
class SpoolTest {
    private final FakeStorage storage = new FakeStorage();
    private final SpoolFixture f = new SpoolFixture();

    private Spool start(long queueBytes) {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        return Spool.start(w, queueBytes, f.counters, f.events::add, f.time, new DaemonThreads("spool-test"));
    }

    @Test
    void acknowledgesAWaitingProducerWithTheSequenceOnceTheRecordIsDurable() throws Exception {
        Spool spool = start(1 << 16);
        CompletableFuture<Long> ack = spool.append("agent", Stream.AGENT, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(0L, ack.get(30, TimeUnit.SECONDS));
        storage.powerLoss();
        assertEquals(1, SpoolFixture.all(storage, new ArrayList<>()).size(), "acknowledged means it survives");
        spool.close(Duration.ofSeconds(10));
    }

    @Test
    void neverAcknowledgesALineThatCouldNotBeWritten() throws Exception {
        Spool spool = start(1 << 16);
        storage.failWrites(true);
        CompletableFuture<Long> ack = spool.append("agent", Stream.AGENT, "lost".getBytes(StandardCharsets.UTF_8));
        ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        storage.failWrites(false);
        spool.close(Duration.ofSeconds(10));
    }

    @Test
    void aFullQueueDropsWithoutBlockingAndCounts() {
        Spool spool = start(100);
        spool.close(Duration.ofSeconds(10)); // closed: nothing is taken any more
        assertTrue(!spool.offer("web", Stream.STDOUT, 0, new byte[10]));
        assertEquals(1, f.counters.snapshot().queueDroppedRecords());
        assertEquals(10, f.counters.snapshot().queueDroppedBytes());
    }
}
