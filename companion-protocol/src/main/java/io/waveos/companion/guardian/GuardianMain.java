package io.waveos.companion.guardian;

import io.waveos.companion.frame.CounterReservation;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKeyFile;
import io.waveos.companion.frame.LinkKeyFileException;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.TimeWitness;
import io.waveos.companion.transport.JSerialCommNativeLibrary;
import io.waveos.companion.transport.SerialSettings;
import io.waveos.companion.transport.SerialTransport;
import io.waveos.companion.transport.TcpListener;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * {@code waveos guardian}: the reference Guardian as a program, and its one composition root. Here, and
 * only here, the Guardian's parts meet threads, clocks, files, the transport and the pins:
 *
 * <ul>
 *   <li>the calling thread becomes the Guardian's loop ({@link GuardianLoop}): it alone touches the
 *       {@link LinkSession} and the {@link Guardian} core, consuming events from one bounded queue;
 *   <li>the transport's reader thread (and, with {@code --tcp-listen}, an acceptor thread) only
 *       enqueues bytes and connections;
 *   <li>one scheduler thread enqueues ticks and times the end of reset pulses.
 * </ul>
 *
 * Exit codes: 0 after a normal stop (SIGTERM/SIGINT), 64 usage, 70 internal error, 74 I/O error
 * (state folder, key file, transport), 78 configuration error (config file, keys, GPIO provider).
 */
public final class GuardianMain {
    static final String VERSION = "waveos-guardian 0.1";
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 64;
    static final int EXIT_SOFTWARE = 70;
    static final int EXIT_IO = 74;
    static final int EXIT_CONFIG = 78;
    private static final int COUNTER_BLOCK = 65_536;

    private GuardianMain() {
    }

    public static void main(String[] args) {
        Pi4jLogging.configureConsole();
        CountDownLatch finished = new CountDownLatch(1);
        GuardianLoop.StopHandle stop = new GuardianLoop.StopHandle();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.request("the Guardian was asked to stop (signal)");
            try {
                // Let the loop log the stop and release the lines before the JVM halts.
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "guardian-shutdown"));
        int code = run(List.of(args), stop);
        finished.countDown();
        System.exit(code);
    }

    /** Runs the Guardian until {@code stop} is requested; returns the exit code. */
    static int run(List<String> args, GuardianLoop.StopHandle stop) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(GuardianOptions.USAGE);
            return EXIT_OK;
        }
        GuardianOptions options;
        try {
            options = GuardianOptions.parse(args);
        } catch (GuardianOptions.UsageException e) {
            System.err.println("waveos guardian: " + e.getMessage());
            System.err.println(GuardianOptions.USAGE);
            return EXIT_USAGE;
        }
        try {
            return run(options, stop);
        } catch (GuardianConfigException | GpioException e) {
            Logger.error("waveos guardian: {}", e.getMessage());
            return EXIT_CONFIG;
        } catch (IOException e) {
            Logger.error("waveos guardian: {}", e.getMessage());
            return EXIT_IO;
        } catch (RuntimeException e) {
            Logger.error(e, "waveos guardian: internal error");
            return EXIT_SOFTWARE;
        }
    }

    private static int run(GuardianOptions options, GuardianLoop.StopHandle stop)
            throws IOException, GuardianConfigException {
        long origin = System.nanoTime();
        GuardianProperties.Parsed parsed = loadConfig(options.configFile());
        GuardianConfig config = parsed.config();
        GpioSettings gpio = options.gpioProvider()
                .map(p -> new GpioSettings(p, parsed.gpio().resetPin(), parsed.gpio().safeModePin(),
                        parsed.gpio().resetActiveHigh(), parsed.gpio().safeModeActiveHigh()))
                .orElse(parsed.gpio());
        Optional<LinkAuth> auth = options.keyFile().isPresent()
                ? Optional.of(loadKeys(options.keyFile().get()).auth(Endpoint.GUARDIAN, options.tagBytes()))
                : Optional.empty();

        try (DirectoryStateFolder folder = DirectoryStateFolder.open(options.stateDir())) {
            List<String> stateErrors = new ArrayList<>();
            GuardianState previous = loadState(folder, stateErrors);
            GuardianEpoch epoch = new GuardianEpoch(previous.bootCounter() + 1, origin);
            // Count this run before anything else: its times must never be mistaken for the last run's.
            new GuardianState(epoch.bootCounter(), previous.pendingWitnesses()).save(folder);
            GuardianLog log = new GuardianLog(folder, System::currentTimeMillis, epoch.bootCounter(),
                    config.logMaxBytes());
            for (String error : stateErrors) {
                log.write(new GuardianEvent(GuardianCode.STATE_ERROR, 0, "", "", error, Map.of(), true));
            }
            ReplayFloor replayFloor = ReplayFloor.load(folder);
            LinkSession link = newLink(config, options, auth, folder, replayFloor, epoch);

            try (ExecutorScheduler scheduler = new ExecutorScheduler();
                    ResetLine line = Pi4jResetLine.open(gpio, scheduler);
                    GuardianLoop.Connector connector = connector(options)) {
                Guardian core = new Guardian(config, epoch, previous.pendingWitnesses(), System.nanoTime());
                GuardianRuntime runtime = new GuardianRuntime(core, link, line, log, folder, replayFloor, epoch);
                Logger.info("waveos guardian: run {} on {} ({} link, GPIO {} reset pin {}, safe-mode pin {}), state {}",
                        epoch.bootCounter(), connector.describe(), auth.isPresent() ? "authenticated" : "PLAIN",
                        gpio.provider().configName(), gpio.resetPin(), gpio.safeModePin(), folder.path());
                new GuardianLoop(runtime, scheduler, connector, config.tickPeriod(), System::nanoTime, stop).run();
                return EXIT_OK;
            }
        }
    }

    private static LinkSession newLink(GuardianConfig config, GuardianOptions options, Optional<LinkAuth> auth,
            StateFolder folder, ReplayFloor replayFloor, GuardianEpoch epoch) throws IOException {
        FrameLimits limits = FrameLimits.DEFAULT;
        FrameEncoder encoder = auth.map(a -> FrameEncoder.authenticated(limits, a)).orElse(FrameEncoder.plain(limits));
        FrameDecoder decoder = auth.map(a -> FrameDecoder.authenticated(limits, a, replayFloor.value()))
                .orElse(FrameDecoder.plain(limits));
        Optional<CounterReservation> counters = auth.isPresent()
                ? Optional.of(CounterReservation.open(new StateFolderCounterStore(folder), COUNTER_BLOCK))
                : Optional.empty();
        byte[] boot = new byte[16];
        new SecureRandom().nextBytes(boot);
        PeerInfo self = new PeerInfo(PeerInfo.PROTOCOL_VERSION,
                List.of("command-gate", "reset-witness", "time-witness", "trend-safe-mode"), options.deviceId(),
                VERSION, HexFormat.of().formatHex(boot));
        // Both ends judge each other's silence by the same period: the device's heartbeat period.
        LinkConfig linkConfig = LinkConfig.DEFAULTS.withHeartbeatPeriod(config.watchdog().heartbeatPeriod());
        BeatSource beats = BeatSource.timeWitnesses(now -> TimeWitness.newBuilder()
                .setGuardianMonotonicMs(epoch.monotonicMs(now))
                .setGuardianBootCounter(epoch.bootCounter())
                .build());
        return new LinkSession(linkConfig, Endpoint.GUARDIAN, encoder, decoder, counters,
                new EnvelopeCodec(encoder.maxPayloadBytes()), self, beats);
    }

    private static GuardianLoop.Connector connector(GuardianOptions options) throws IOException {
        if (options.serialPort().isPresent()) {
            SerialTransport serial = new SerialTransport(options.serialPort().get(), SerialSettings.of(options.baud()),
                    new JSerialCommNativeLibrary(JSerialCommNativeLibrary.defaultExtractionDir()));
            return new GuardianLoop.SerialConnector(serial);
        }
        TcpListener listener = new TcpListener(options.tcpListen().orElseThrow());
        return new GuardianLoop.TcpConnector(listener);
    }

    private static GuardianProperties.Parsed loadConfig(Optional<Path> file) throws GuardianConfigException {
        Properties properties = new Properties();
        if (file.isPresent()) {
            try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new GuardianConfigException(file.get() + ": cannot read: " + e.getMessage(), e);
            }
        }
        return GuardianProperties.parse(properties, file.map(Path::toString).orElse("(defaults)"));
    }

    /** Spec 8.4: a missing, unreadable, malformed or exposed key file stops the Guardian; never plain. */
    private static LinkKeyFile loadKeys(Path file) throws GuardianConfigException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            for (PosixFilePermission exposed : Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)) {
                if (permissions.contains(exposed)) {
                    throw new GuardianConfigException(file + ": the link keys must be readable by the Guardian's"
                            + " user only (chmod 600), but the file is " + exposed.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
            }
            return LinkKeyFile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (LinkKeyFileException e) {
            throw new GuardianConfigException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new GuardianConfigException(file + ": the link key file does not exist (it comes with the certs"
                    + " bundle; --plain runs without keys, for development only)", e);
        } catch (IOException e) {
            throw new GuardianConfigException(file + ": cannot read the link keys: " + e.getMessage(), e);
        }
    }

    /** The previous run's state; a corrupt file is kept aside and reported, and the Guardian starts fresh. */
    private static GuardianState loadState(StateFolder folder, List<String> errors) throws IOException {
        try {
            return GuardianState.load(folder);
        } catch (IOException e) {
            Optional<byte[]> bytes = folder.read(GuardianState.FILE);
            if (bytes.isEmpty()) {
                throw e;
            }
            folder.writeAtomically(GuardianState.CORRUPT_FILE, bytes.get());
            String text = "previous state unreadable (" + e.getMessage() + "); kept as " + GuardianState.CORRUPT_FILE
                    + ", starting with boot counter 1 and no pending witnesses";
            Logger.error("waveos guardian: {}", text);
            errors.add(text);
            return GuardianState.FRESH;
        }
    }

}
