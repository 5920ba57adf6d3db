package io.waveos.companion.bench;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.CounterStore;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKey;
import io.waveos.companion.frame.LinkKeys;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkCount;
import io.waveos.companion.link.LinkCounters;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Risk;
import io.waveos.companion.proto.TimeWitness;
import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.JSerialCommNativeLibrary;
import io.waveos.companion.transport.SerialSettings;
import io.waveos.companion.transport.SerialTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Request-to-decision round trip over a socat PTY pair, side by side in the same run (same JVM,
 * interleaved blocks) with a raw 64-byte echo over a PTY pair made the same way. Not a test.
 *
 * <p><b>Decision.</b> A device-side and a Guardian-side {@link LinkSession} on an authenticated link
 * (HMAC tag 16 bytes, counters reserved from in-memory {@link CounterStore}s), each over a
 * {@link SerialTransport} (jSerialComm) on one end of the PTY pair. Each side has one loop thread that
 * owns its session: the transport's reader thread only enqueues copies of the bytes it read (as
 * {@code GuardianLoop} does), the loop feeds them to the session, ticks it every 50 ms and writes the
 * frames it outputs. The Guardian's loop answers every delivered CommandRequest at once with an
 * approving CommandDecision via {@link LinkSession#reply}. The device's loop times each round from just
 * before it builds and {@link LinkSession#request}s a CommandRequest to the {@link LinkOutput.RequestAnswered}
 * output, then sends the next one. Beats (1 s, repeated every 250 ms) run as usual meanwhile.
 *
 * <p><b>Raw echo</b> (the baseline, as {@code transport.PtyEchoBench}): the main thread sends 64 random
 * bytes, the far end's reader thread writes back every chunk it reads, and the main thread waits on a
 * semaphore released by its reader thread once all 64 are back.
 *
 * <p><b>Loop echo</b> (a diagnostic, not the target's baseline): the raw 64-byte echo with the link's
 * threading, i.e. a loop thread on each end fed through a queue by the reader thread, no protocol.
 * Decision minus loop echo is the cost of the protocol itself; loop echo minus raw echo is the cost of
 * the extra thread hand-offs.
 *
 * <p>Usage: {@code DecisionRoundTripBench [rounds=1000] [warmup=20000] [block=100]}; needs socat on
 * the PATH. Each variant is warmed up, then measured in blocks of {@code block} rounds taken in turn
 * (echo, decision, loop echo, echo, ...) so that all see the same machine conditions. The warm-up is
 * long on purpose: on a 2-CPU machine with default JVM flags, C2 compilations still running after 5 000
 * warm-up rounds put multi-millisecond stalls into about 1 % of the measured rounds and make p99 a
 * measure of the JIT (p99 ratio 1.7x to 6.6x over five runs; with 20 000 rounds 1.6x to 1.7x).
 * {@code -Dbench.slowMicros=N} lists the measured rounds slower than N us with their JVM uptime, to
 * line them up with {@code -Xlog:gc,safepoint} or {@code -XX:+PrintCompilation}.
 */
public final class DecisionRoundTripBench {
    static final int ECHO_BYTES = 64;
    static final int TAG_BYTES = 16;
    /** Diagnostic: with {@code -Dbench.slowMicros=N}, measured rounds slower than N us are listed with their JVM uptime. */
    static final long SLOW_NANOS = Long.getLong("bench.slowMicros", -1) * 1000;
    static final List<String> SLOW = java.util.Collections.synchronizedList(new ArrayList<>());

    static void noteIfSlow(String what, long nanos, boolean measured) {
        if (SLOW_NANOS > 0 && measured && nanos > SLOW_NANOS) {
            SLOW.add(String.format("  t=%d ms %s %.0f us", ManagementFactory.getRuntimeMXBean().getUptime(), what,
                    micros(nanos)));
        }
    }

    /** The loops' tick period (the spec asks for at most 125 ms with the default link config). */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final LinkKeys KEYS = new LinkKeys(
            new LinkKey(1, HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")),
            new LinkKey(1, HexFormat.of().parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")));

    private DecisionRoundTripBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        if (rounds % block != 0) {
            throw new IllegalArgumentException("rounds must be a multiple of block");
        }
        System.out.printf("load average at start: %s%n", loadAverage());
        System.out.printf("JVM: %s %s, args %s, %d CPUs%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("decision-rtt-bench");
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            JSerialCommNativeLibrary nativeLibrary = new JSerialCommNativeLibrary(dir.resolve("native"));
            SerialSettings settings = SerialSettings.of(115_200);
            Socat linkPty = Socat.start(dir.resolve("link"));
            toClose.add(linkPty);
            Socat echoPty = Socat.start(dir.resolve("echo"));
            toClose.add(echoPty);
            Socat loopEchoPty = Socat.start(dir.resolve("loop-echo"));
            toClose.add(loopEchoPty);

            DecisionLink decision = DecisionLink.open(linkPty, settings, nativeLibrary);
            toClose.add(decision);
            RawEcho echo = RawEcho.open(echoPty, settings, nativeLibrary);
            toClose.add(echo);
            LoopEcho loopEcho = LoopEcho.open(loopEchoPty, settings, nativeLibrary);
            toClose.add(loopEcho);

            // warm-up, interleaved too
            for (int done = 0; done < warmup; done += block) {
                int n = Math.min(block, warmup - done);
                echo.run(new long[n], 0, n);
                decision.run(new long[n], 0, n);
                loopEcho.run(new long[n], 0, n);
            }
            decision.device.sampling = true;
            decision.guardian.sampling = true;
            LinkCounters deviceBefore = decision.device.counters();
            LinkCounters guardianBefore = decision.guardian.counters();
            String loadBefore = loadAverage();
            long[] echoNanos = new long[rounds];
            long[] decisionNanos = new long[rounds];
            long[] loopEchoNanos = new long[rounds];
            // let the compiler threads finish what the warm-up queued: on 2 CPUs they compete with the rounds
            Thread.sleep(1_000);
            long[][] blockP50 = new long[rounds / block][3];
            long started = System.nanoTime();
            long startedUptime = ManagementFactory.getRuntimeMXBean().getUptime();
            echo.measured = true;
            for (int off = 0; off < rounds; off += block) {
                echo.run(echoNanos, off, block);
                decision.run(decisionNanos, off, block);
                loopEcho.run(loopEchoNanos, off, block);
                blockP50[off / block] = new long[] {percentile(sortedCopy(echoNanos, off, block), 50),
                        percentile(sortedCopy(decisionNanos, off, block), 50),
                        percentile(sortedCopy(loopEchoNanos, off, block), 50)};
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (SLOW_NANOS > 0) {
                System.out.printf("measured rounds from t=%d ms to t=%d ms (JVM uptime); rounds over %d us:%n",
                        startedUptime, ManagementFactory.getRuntimeMXBean().getUptime(), SLOW_NANOS / 1000);
                SLOW.forEach(System.out::println);
            }
            String loadAfter = loadAverage();
            LinkCounters deviceAfter = decision.device.counters();
            LinkCounters guardianAfter = decision.guardian.counters();

            System.out.printf("%nround trips over socat PTY pairs, jSerialComm both ends, %d measured rounds each"
                    + " after %d warm-up, interleaved in blocks of %d (%.1f s):%n", rounds, warmup, block, seconds);
            System.out.printf("load average before the measured rounds: %s; after: %s%n", loadBefore, loadAfter);
            Arrays.sort(echoNanos);
            Arrays.sort(decisionNanos);
            Arrays.sort(loopEchoNanos);
            print("raw echo, 64 B (baseline)", echoNanos);
            print("request -> decision (auth)", decisionNanos);
            print("loop echo, 64 B (diag.)", loopEchoNanos);
            System.out.printf("ratio decision / raw echo: p50 %.2fx   p99 %.2fx   (target <= 3x)%n",
                    (double) percentile(decisionNanos, 50) / percentile(echoNanos, 50),
                    (double) percentile(decisionNanos, 99) / percentile(echoNanos, 99));
            System.out.printf("ratio decision / loop echo: p50 %.2fx   p99 %.2fx%n",
                    (double) percentile(decisionNanos, 50) / percentile(loopEchoNanos, 50),
                    (double) percentile(decisionNanos, 99) / percentile(loopEchoNanos, 99));
            System.out.println("per block (p50):");
            for (int i = 0; i < blockP50.length; i++) {
                System.out.printf("  block %2d: p50 echo %6.1f  decision %6.1f  loop echo %6.1f us%n", i,
                        micros(blockP50[i][0]), micros(blockP50[i][1]), micros(blockP50[i][2]));
            }
            System.out.printf("wire bytes: CommandRequest frame %d B, CommandDecision frame %d B (last measured round)%n",
                    decision.device.lastRequestWireBytes, decision.guardian.lastDecisionWireBytes);
            System.out.printf("decision path, median per round: device loop request()+write %.1f us;"
                    + " Guardian loop onBytes()+reply()+write %.1f us; device loop onBytes() of the decision %.1f us;"
                    + " reader->loop queue hand-off: Guardian %.1f us, device %.1f us%n",
                    micros(decision.device.sendWork.median()), micros(decision.guardian.answerWork.median()),
                    micros(decision.device.receiveWork.median()), micros(decision.guardian.handoff.median()),
                    micros(decision.device.handoff.median()));
            System.out.println("link counters during the measured rounds (all should be 0 except frames and beats):");
            System.out.println("  device:   " + delta(deviceBefore, deviceAfter));
            System.out.println("  guardian: " + delta(guardianBefore, guardianAfter));
            if (decision.failures() > 0) {
                System.out.println("FAILED REQUESTS: " + decision.failures());
            }
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
            }
            deleteRecursively(dir);
            System.out.printf("load average at end: %s%n", loadAverage());
        }
    }

    // ---------------------------------------------------------------- decision over the link

    /** Both ends of the authenticated link, each with its own loop thread, over one PTY pair. */
    static final class DecisionLink implements AutoCloseable {
        final LoopSide device;
        final LoopSide guardian;

        private DecisionLink(LoopSide device, LoopSide guardian) {
            this.device = device;
            this.guardian = guardian;
        }

        static DecisionLink open(Socat pty, SerialSettings settings, JSerialCommNativeLibrary nativeLibrary)
                throws Exception {
            LinkConfig config = LinkConfig.DEFAULTS;
            String suffix = Long.toHexString(new Random().nextLong());
            LoopSide guardian = new LoopSide(Endpoint.GUARDIAN, session(Endpoint.GUARDIAN, config,
                    new PeerInfo(1, List.of("command-gate", "time-witness"), "bench-device", "guardian bench",
                            "guardian-boot-" + suffix)),
                    new SerialTransport(pty.b().toString(), settings, nativeLibrary));
            LoopSide device = new LoopSide(Endpoint.DEVICE, session(Endpoint.DEVICE, config,
                    new PeerInfo(1, List.of("health-report", "command-gate"), "bench-device", "agent bench",
                            "device-boot-" + suffix)),
                    new SerialTransport(pty.a().toString(), settings, nativeLibrary));
            DecisionLink link = new DecisionLink(device, guardian);
            try {
                guardian.start();
                device.start();
                if (!device.up.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the link did not come UP within 10 s");
                }
            } catch (Exception | Error e) {
                link.close();
                throw e;
            }
            return link;
        }

        static LinkSession session(Endpoint end, LinkConfig config, PeerInfo info) throws IOException {
            LinkAuth auth = LinkAuth.of(end, TAG_BYTES, KEYS);
            FrameEncoder encoder = FrameEncoder.authenticated(FrameLimits.DEFAULT, auth);
            FrameDecoder decoder = FrameDecoder.authenticated(FrameLimits.DEFAULT, auth, 0);
            Optional<CounterReservation> counters = Optional.of(CounterReservation.open(new MemoryCounterStore(), 65_536));
            BeatSource beats = end == Endpoint.DEVICE
                    ? BeatSource.heartbeats(() -> Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL)
                            .setLoopHealthy(true).setLoopLagMs(3).setSummary("7/7 services running").build())
                    : BeatSource.timeWitnesses(now -> TimeWitness.newBuilder().setGuardianMonotonicMs(now / 1_000_000)
                            .setGuardianBootCounter(1).build());
            return new LinkSession(config, end, encoder, decoder, counters, new EnvelopeCodec(encoder.maxPayloadBytes()),
                    info, beats);
        }

        /** Runs {@code n} sequential request rounds on the device's loop; their times go to {@code out[off..]}. */
        void run(long[] out, int off, int n) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(1);
            device.submit(() -> device.beginRounds(out, off, n, done));
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("decision rounds did not finish within 60 s");
            }
            if (device.failures > 0) {
                throw new IllegalStateException(device.failures + " requests failed: " + device.lastFailure);
            }
        }

        long failures() {
            return device.failures;
        }

        @Override
        public void close() {
            device.close();
            guardian.close();
        }
    }

    /** One end: a session owned by one loop thread, fed by the transport's reader thread through a queue. */
    static final class LoopSide implements AutoCloseable {
        private record Bytes(byte[] data, long enqueuedNanos) {
        }

        private static final Object STOP = new Object();

        final Endpoint self;
        final LinkSession session;
        final SerialTransport transport;
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(256);
        final CountDownLatch up = new CountDownLatch(1);
        final Thread thread;
        final Samples handoff = new Samples();
        final Samples sendWork = new Samples();
        final Samples receiveWork = new Samples();
        final Samples answerWork = new Samples();
        volatile long failures;
        volatile String lastFailure = "";
        volatile int lastRequestWireBytes;
        volatile int lastDecisionWireBytes;
        private long requestSeq;
        // device rounds (loop thread only)
        private long[] roundsOut;
        private int roundsOff;
        private int roundsLeft;
        private int roundIndex;
        private CountDownLatch roundsDone;
        private long roundStart;
        private boolean answered;
        private boolean replied;
        private volatile boolean measuring;
        /** Whether to record the per-step samples (the measured rounds, not the warm-up). */
        volatile boolean sampling;

        LoopSide(Endpoint self, LinkSession session, SerialTransport transport) {
            this.self = self;
            this.session = session;
            this.transport = transport;
            this.thread = new Thread(this::loop, self.name().toLowerCase() + "-loop");
            this.thread.setDaemon(true);
        }

        void start() throws IOException {
            transport.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    put(new Bytes(Arrays.copyOfRange(buf, off, off + len), System.nanoTime()));
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            thread.start();
        }

        /** The session's counters, read on its loop thread (the session is confined to it). */
        LinkCounters counters() throws Exception {
            java.util.concurrent.CompletableFuture<LinkCounters> result = new java.util.concurrent.CompletableFuture<>();
            submit(() -> result.complete(session.counters()));
            return result.get(10, TimeUnit.SECONDS);
        }

        void submit(Runnable task) {
            put(task);
        }

        private void put(Object event) {
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void loop() {
            long now = System.nanoTime();
            perform(session.start(now), now);
            long nextTick = now + TICK_NANOS;
            try {
                while (true) {
                    long wait = nextTick - System.nanoTime();
                    Object event = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (event == STOP) {
                        long t = System.nanoTime();
                        perform(session.stop("bench finished", t), t);
                        return;
                    }
                    if (event instanceof Bytes bytes) {
                        long t = System.nanoTime();
                        if (sampling) {
                            handoff.add(t - bytes.enqueuedNanos());
                        }
                        List<LinkOutput> outputs = session.onBytes(bytes.data(), 0, bytes.data().length, t);
                        perform(outputs, t);
                        if (answered) {
                            answered = false;
                            if (sampling) {
                                receiveWork.add(System.nanoTime() - t);
                            }
                            nextRound();
                        } else if (replied) {
                            replied = false;
                            if (sampling) {
                                answerWork.add(System.nanoTime() - t);
                            }
                        }
                    } else if (event instanceof Runnable task) {
                        task.run();
                    }
                    long t = System.nanoTime();
                    if (t - nextTick >= 0) {
                        perform(session.tick(t), t);
                        nextTick = t + TICK_NANOS;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void beginRounds(long[] out, int off, int n, CountDownLatch done) {
            roundsOut = out;
            roundsOff = off;
            roundsLeft = n;
            roundIndex = 0;
            roundsDone = done;
            measuring = true;
            sendRequest();
        }

        private void nextRound() {
            if (roundsLeft == 0) {
                measuring = false;
                roundsDone.countDown();
                return;
            }
            sendRequest();
        }

        private void sendRequest() {
            roundStart = System.nanoTime();
            Envelope.Builder body = Envelope.newBuilder().setCommandRequest(CommandRequest.newBuilder()
                    .setId(requestId(++requestSeq))
                    .setKind(CommandKind.COMMAND_KIND_REBOOT).setRisk(Risk.RISK_HIGH));
            List<LinkOutput> outputs = session.request(body, roundStart);
            perform(outputs, roundStart);
            if (sampling) {
                sendWork.add(System.nanoTime() - roundStart);
            }
            for (LinkOutput output : outputs) {
                if (output instanceof LinkOutput.Transmit tx) {
                    lastRequestWireBytes = tx.wire().length;
                }
            }
        }

        /** {@code req-00000042}: every id the same length, so every request frame is the same size. */
        private static String requestId(long n) {
            String digits = Long.toString(n);
            return "req-" + "00000000".substring(Math.min(8, digits.length())) + digits;
        }

        private void perform(List<LinkOutput> outputs, long now) {
            for (LinkOutput output : outputs) {
                if (output instanceof LinkOutput.Transmit tx) {
                    byte[] wire = tx.wire();
                    try {
                        transport.send(wire);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else if (output instanceof LinkOutput.Deliver d
                        && d.env().getBodyCase() == Envelope.BodyCase.COMMAND_REQUEST) {
                    CommandRequest request = d.env().getCommandRequest();
                    List<LinkOutput> reply = session.reply(CommandDecision.newBuilder().setRequestId(request.getId())
                            .setApprove(true).setReason(DecisionReason.DECISION_REASON_ALLOWED).setRule("bench-approve-all")
                            .build(), now);
                    for (LinkOutput r : reply) {
                        if (r instanceof LinkOutput.Transmit tx) {
                            lastDecisionWireBytes = tx.wire().length;
                        }
                    }
                    perform(reply, now);
                    replied = true;
                } else if (output instanceof LinkOutput.RequestAnswered a) {
                    long elapsed = System.nanoTime() - roundStart;
                    if (!a.answer().getCommandDecision().getApprove()) {
                        failures++;
                        lastFailure = "denied " + a.id();
                    }
                    noteIfSlow("decision", elapsed, sampling);
                    roundsOut[roundsOff + roundIndex++] = elapsed;
                    roundsLeft--;
                    answered = true;
                } else if (output instanceof LinkOutput.RequestFailed f) {
                    failures++;
                    lastFailure = f.id() + " " + f.failure() + ": " + f.reason();
                    roundsOut[roundsOff + roundIndex++] = Long.MAX_VALUE;
                    roundsLeft--;
                    answered = true;
                } else if (output instanceof LinkOutput.StateChanged c) {
                    if (c.to() == LinkState.UP) {
                        up.countDown();
                    } else if (measuring) {
                        System.err.println(self + " state " + c.from() + " -> " + c.to() + ": " + c.reason());
                    }
                }
            }
        }

        @Override
        public void close() {
            if (thread.isAlive()) {
                put(STOP);
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            transport.close();
        }
    }

    /** A counter store in memory (the benchmark's counters need not survive it). */
    static final class MemoryCounterStore implements CounterStore {
        private final Map<Slot, byte[]> slots = new EnumMap<>(Slot.class);

        @Override
        public byte[] read(Slot slot) {
            return slots.getOrDefault(slot, new byte[0]).clone();
        }

        @Override
        public void write(Slot slot, byte[] bytes) {
            slots.put(slot, bytes.clone());
        }
    }

    // ---------------------------------------------------------------- raw echo (PtyEchoBench's shape)

    /** The far end's reader thread echoes every chunk; the main thread sends and waits on a semaphore. */
    static final class RawEcho implements AutoCloseable {
        private final SerialTransport echo;
        private final SerialTransport client;
        private final Semaphore roundDone = new Semaphore(0);
        private final Object lock = new Object();
        private long received;
        private long expected;
        private final byte[] payload = new byte[ECHO_BYTES];
        volatile boolean measured;

        private RawEcho(SerialTransport echo, SerialTransport client) {
            this.echo = echo;
            this.client = client;
            new Random(1).nextBytes(payload);
        }

        static RawEcho open(Socat pty, SerialSettings settings, JSerialCommNativeLibrary nativeLibrary) throws IOException {
            SerialTransport echo = new SerialTransport(pty.b().toString(), settings, nativeLibrary);
            SerialTransport client = new SerialTransport(pty.a().toString(), settings, nativeLibrary);
            RawEcho bench = new RawEcho(echo, client);
            echo.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    try {
                        echo.send(Arrays.copyOfRange(buf, off, off + len));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            client.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    synchronized (bench.lock) {
                        bench.received += len;
                        if (bench.received == bench.expected) {
                            bench.roundDone.release();
                        }
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            return bench;
        }

        void run(long[] out, int off, int n) throws IOException, InterruptedException {
            for (int i = 0; i < n; i++) {
                synchronized (lock) {
                    expected += ECHO_BYTES;
                }
                long start = System.nanoTime();
                client.send(payload);
                if (!roundDone.tryAcquire(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no echo within 5 s");
                }
                out[off + i] = System.nanoTime() - start;
                noteIfSlow("raw echo", out[off + i], measured);
            }
        }

        @Override
        public void close() {
            client.close();
            echo.close();
        }
    }

    // ---------------------------------------------------------------- echo with the link's threading

    /** Raw 64-byte echo where each end's reader hands the bytes to a loop thread through a queue. */
    static final class LoopEcho implements AutoCloseable {
        private static final Object STOP = new Object();
        private final SerialTransport echo;
        private final SerialTransport client;
        private final BlockingQueue<Object> echoQueue = new ArrayBlockingQueue<>(256);
        private final BlockingQueue<Object> clientQueue = new ArrayBlockingQueue<>(256);
        private final Thread echoLoop;
        private final Thread clientLoop;
        private final byte[] payload = new byte[ECHO_BYTES];

        private LoopEcho(SerialTransport echo, SerialTransport client) {
            this.echo = echo;
            this.client = client;
            new Random(2).nextBytes(payload);
            this.echoLoop = new Thread(this::echoLoop, "loop-echo-far");
            this.clientLoop = new Thread(this::clientLoop, "loop-echo-near");
            echoLoop.setDaemon(true);
            clientLoop.setDaemon(true);
        }

        static LoopEcho open(Socat pty, SerialSettings settings, JSerialCommNativeLibrary nativeLibrary) throws IOException {
            LoopEcho bench = new LoopEcho(new SerialTransport(pty.b().toString(), settings, nativeLibrary),
                    new SerialTransport(pty.a().toString(), settings, nativeLibrary));
            bench.echo.open(enqueuer(bench.echoQueue));
            bench.client.open(enqueuer(bench.clientQueue));
            bench.echoLoop.start();
            bench.clientLoop.start();
            return bench;
        }

        private static ByteTransport.Receiver enqueuer(BlockingQueue<Object> queue) {
            return new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    try {
                        queue.put(Arrays.copyOfRange(buf, off, off + len));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            };
        }

        private record Rounds(long[] out, int off, int n, CountDownLatch done) {
        }

        private void echoLoop() {
            try {
                while (true) {
                    Object event = echoQueue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
                    if (event == STOP) {
                        return;
                    }
                    if (event instanceof byte[] bytes) {
                        echo.send(bytes);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void clientLoop() {
            try {
                Rounds rounds = null;
                int index = 0;
                long got = 0;
                long start = 0;
                while (true) {
                    Object event = clientQueue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
                    if (event == STOP) {
                        return;
                    }
                    if (event instanceof Rounds r) {
                        rounds = r;
                        index = 0;
                        got = 0;
                        start = System.nanoTime();
                        client.send(payload);
                    } else if (event instanceof byte[] bytes && rounds != null) {
                        got += bytes.length;
                        if (got == ECHO_BYTES) {
                            rounds.out()[rounds.off() + index++] = System.nanoTime() - start;
                            got = 0;
                            if (index == rounds.n()) {
                                rounds.done().countDown();
                                rounds = null;
                            } else {
                                start = System.nanoTime();
                                client.send(payload);
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void run(long[] out, int off, int n) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(1);
            clientQueue.put(new Rounds(out, off, n, done));
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("loop echo rounds did not finish within 60 s");
            }
        }

        @Override
        public void close() {
            clientQueue.offer(STOP);
            echoQueue.offer(STOP);
            try {
                clientLoop.join(5_000);
                echoLoop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
            echo.close();
        }
    }

    // ---------------------------------------------------------------- socat, statistics

    /** A socat PTY pair started by this benchmark; {@link #close} stops that process only. */
    record Socat(Process process, Path a, Path b) implements AutoCloseable {
        static Socat start(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            Process process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a,
                    "pty,raw,echo=0,link=" + b).redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile())
                    .start();
            Socat socat = new Socat(process, a, b);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(a) && Files.exists(b))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    socat.close();
                    throw new IOException("socat did not create " + a + " and " + b + ": "
                            + Files.readString(dir.resolve("socat.log")));
                }
                Thread.sleep(10);
            }
            return socat;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Latency samples of one kind, recorded by one thread, read after the rounds. */
    static final class Samples {
        private long[] values = new long[4096];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long median() {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return percentile(sorted, 50);
        }
    }

    private static void print(String name, long[] sorted) {
        System.out.printf("  %-28s p50 %7.1f us   p90 %7.1f us   p99 %7.1f us   max %8.1f us   mean %7.1f us%n", name,
                micros(percentile(sorted, 50)), micros(percentile(sorted, 90)), micros(percentile(sorted, 99)),
                micros(sorted[sorted.length - 1]), micros((long) Arrays.stream(sorted).average().orElse(0)));
    }

    private static String delta(LinkCounters before, LinkCounters after) {
        StringBuilder sb = new StringBuilder();
        for (LinkCount count : LinkCount.values()) {
            long d = after.of(count) - before.of(count);
            if (d != 0) {
                sb.append(count).append('=').append(d).append(' ');
            }
        }
        sb.append("frameDrops=").append(after.frameDrops().total() - before.frameDrops().total());
        return sb.toString();
    }

    private static long[] sortedCopy(long[] values, int off, int n) {
        long[] copy = Arrays.copyOfRange(values, off, off + n);
        Arrays.sort(copy);
        return copy;
    }

    static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
