package io.waveos.hil.rig;

import io.waveos.hil.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.waveos.hil.scenario.FaultKind;
import java.util.TreeMap;

/**
 * The reference Guardian as its own JVM, with mock GPIO, linked to the device over a {@code socat}
 * PTY pair (or TCP on loopback when socat is absent) with an authenticated link. Its rules are the
 * scenario's {@code guardian.rules}, written as its properties file. Its log is how the rig sees the
 * reset line pulse ({@code DEVICE_RESET}).
 */
final class GuardianProcess implements AutoCloseable {
    /** Defaults that suit short scenarios; a scenario's rules override them. */
    static final Map<String, String> DEFAULTS = Map.of("watchdog.grace", "3s", "watchdog.boot-grace", "15s");
    private final List<Process> processes;
    private final List<String> command;
    private final Path output;
    private java.util.Optional<Process> board = java.util.Optional.empty();
    private final Optional<String> agentLine;
    private final Optional<Path> log;
    private final String description;
    private Optional<NoisyRelay> relay = Optional.empty();

    private GuardianProcess(List<Process> processes, List<String> command, Path output, Optional<String> agentLine,
            Optional<Path> log, String description) {
        this.processes = new ArrayList<>(processes);
        this.command = List.copyOf(command);
        this.output = output;
        this.agentLine = agentLine;
        this.log = log;
        this.description = description;
    }

    static GuardianProcess none() {
        return new GuardianProcess(List.of(), List.of(), Path.of("/dev/null"), Optional.empty(), Optional.empty(),
                "no Guardian");
    }

    static boolean socatPresent() {
        return Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
    }

    static GuardianProcess start(Path java, String classPath, Scenario s, Path work, int port)
            throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        byte[] d2g = new byte[32];
        byte[] g2d = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(d2g);
        random.nextBytes(g2d);
        Path keys = work.resolve("link.keys");
        Files.writeString(keys, "sign = 1\nkey.1.device_to_guardian = " + HexFormat.of().formatHex(d2g)
                + "\nkey.1.guardian_to_device = " + HexFormat.of().formatHex(g2d) + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> props = new TreeMap<>(DEFAULTS);
        props.putAll(s.guardian().rules());
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Path config = work.resolve("guardian.properties");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        Path state = work.resolve("guardian-state");
        List<String> link;
        String agentSide;
        String how;
        Optional<NoisyRelay> relay = Optional.empty();
        boolean noisy = s.faults().stream().anyMatch(f -> f.kind() == FaultKind.SERIAL_NOISE);
        if (noisy && !socatPresent()) {
            throw new IOException("serial-noise needs socat (the noisy relay sits between two PTY pairs)");
        }
        if (socatPresent()) {
            Path device = work.resolve("tty-device");
            Path board = work.resolve("tty-guardian");
            if (noisy) {
                // device <-socat-> relay-device =noisy relay= relay-guardian <-socat-> Guardian
                Path relayDevice = work.resolve("tty-relay-device");
                Path relayGuardian = work.resolve("tty-relay-guardian");
                started.add(ptyPair(device, relayDevice, work.resolve("socat.out")));
                started.add(ptyPair(relayGuardian, board, work.resolve("socat-guardian.out")));
                awaitLinks(List.of(device, board, relayDevice, relayGuardian));
                relay = Optional.of(NoisyRelay.start(relayDevice, relayGuardian, s.seed()));
            } else {
                started.add(ptyPair(device, board, work.resolve("socat.out")));
                awaitLinks(List.of(device, board));
            }
            link = List.of("--port", board.toString());
            agentSide = "serial: {device: \"" + device + "\", baud: 115200}";
            how = "Guardian over a socat PTY pair" + (noisy ? " with a noisy relay between two pairs" : "");
        } else {
            link = List.of("--tcp-listen", "127.0.0.1:" + port);
            agentSide = "tcp: \"127.0.0.1:" + port + "\"";
            how = "Guardian over TCP on loopback (socat absent)";
        }
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx32m", "-XX:+UseSerialGC", "-Xss256k",
                "-XX:-UsePerfData", "-cp", classPath, "io.waveos.companion.guardian.GuardianMain"));
        cmd.addAll(link);
        cmd.addAll(List.of("--state", state.toString(), "--key-file", keys.toString(), "--device-id", "hil-" + s.name(),
                "--config", config.toString(), "--gpio", "mock"));
        GuardianProcess g = new GuardianProcess(started, cmd, work.resolve("guardian.out"),
                Optional.of(agentSide + "\n  key_file: \"" + keys + "\""), Optional.of(state.resolve("guardian-log.jsonl")),
                how);
        g.relay = relay;
        g.powerOn();
        return g;
    }

    private static Process ptyPair(Path a, Path b, Path out) throws IOException {
        return new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void awaitLinks(List<Path> links) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!links.stream().allMatch(Files::exists) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    /** The noisy relay between the device and the Guardian; present when the scenario has serial noise. */
    Optional<NoisyRelay> relay() {
        return relay;
    }

    /** Starts the Guardian board (again): its state folder persists, as its flash would. */
    void powerOn() throws IOException {
        if (command.isEmpty() || board.map(Process::isAlive).orElse(false)) {
            return;
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        processes.add(p);
        board = java.util.Optional.of(p);
    }

    /** The Guardian board loses power: the link goes silent; the device is not reset. */
    void powerOff() throws InterruptedException {
        if (board.isPresent()) {
            board.get().destroyForcibly();
            board.get().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    Optional<String> agentLine() {
        return agentLine;
    }

    Optional<Path> logFile() {
        return log;
    }

    String describe() {
        return description;
    }

    /** How many times the Guardian pulsed the device's reset line so far, from its log. */
    long resets() throws IOException {
        if (log.isEmpty() || !Files.exists(log.get())) {
            return 0;
        }
        return Files.readAllLines(log.get(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"code\":\"DEVICE_RESET\"")).count();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        relay.ifPresent(NoisyRelay::close);
    }
}
