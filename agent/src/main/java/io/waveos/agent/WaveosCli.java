package io.waveos.agent;

import io.waveos.agent.evidence.EvidenceCommand;
import io.waveos.agent.platform.linux.ControlSocketServer;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.telemetry.EventChainVerifier;
import io.waveos.agent.update.tool.BundleTool;
import io.waveos.agent.update.tool.Invocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code waveos}: the one entry point. Subcommands: {@code agent}, {@code events verify}, {@code evidence ...}, {@code bundle ...}, {@code version}.
 * ({@code demo} is served by the simulator's jar; the {@code ./waveos} script dispatches to it.)
 */
public final class WaveosCli {
    static final String USAGE = String.join("\n",
            "usage: waveos <command> [options]",
            "",
            "commands:",
            "  demo                         the simulator's narrated scenarios on real processes (~3 min)",
            "  hil list | hil run ...       fault scenarios, tiers 1 and 2, HTML report (docs/hil.md)",
            "  agent [--config FILE]        run the agent (default config /etc/waveos/agent.yaml)",
            "  agent --check-config FILE    validate a configuration and exit (0 valid, 2 invalid)",
            "  status [--config FILE]       ask the running agent for its mode and services",
            "  status --to URL --key-id ID --key FILE   the same through the local API (docs/api.md)",
            "  push BUNDLE --to URL --key-id ID --key FILE [--idempotency-key K]",
            "                               push a bundle to a device's API, with a progress bar",
            "  flags get|set NAME=VALUE --to URL --key-id ID --key FILE   read or override feature flags",
            "  mode clear [--config FILE]   operator command: leave SAFE or DEGRADED for NORMAL now",
            "  update rollback [--config FILE]  operator command: end the running update trial with a rollback",
            "  events verify FILE           check the hash chain of an events.jsonl; report the first break",
            "  policy check FILE            validate a policy file (0 valid, 2 invalid: file:line of each problem)",
            "  policy replay --policy FILE --run DIR",
            "                               run a recorded run (metrics.csv, events.jsonl) through the rules;",
            "                               print what would have fired and when",
            "  logs [--config FILE | --dir DIR] [--service S] [--since T] [--follow]",
            "                               print the log spool (services' output, agent lines); works while the agent runs",
            "  evidence export [--config FILE]  ask the running agent for a signed evidence pack now",
            "  evidence list [--config FILE]    list the evidence packs on this device, oldest first",
            "  evidence verify FILE [--key PUB.pem]  check a pack's signature, member hashes and event chain",
            "  bundle <command> ...         keys, trust roots, build/sign/verify/inspect update bundles",
            "                               (waveos bundle help; exit 3 when a bundle is refused)",
            "  version                      print the agent version",
            "  help                         this text",
            "",
            "exit codes: 0 ok, 1 failure, 2 bad usage or configuration");

    private WaveosCli() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "agent":
                return agent(rest, out, err);
            case "events":
                return events(rest, out, err);
            case "policy":
                return new PolicyCli(new LinuxStorage(), out, err).run(rest);
            case "status":
                if (ApiCli.wantsApi(rest)) {
                    return ApiCli.run("status", rest, out, err);
                }
                return control("status", rest, out, err);
            case "push":
                return ApiCli.run("push", rest, out, err);
            case "flags":
                return ApiCli.run("flags", rest, out, err);
            case "mode":
                if (rest.length == 0 || !rest[0].equals("clear")) {
                    return usage(err, "expected: mode clear [--config FILE]");
                }
                return control("mode clear", Arrays.copyOfRange(rest, 1, rest.length), out, err);
            case "bundle":
                return BundleTool.run(rest, new Invocation(out, err, Clock.systemUTC(), System.console() != null));
            case "update":
                if (rest.length == 0 || !rest[0].equals("rollback")) {
                    return usage(err, "expected: update rollback [--config FILE]");
                }
                return control("update rollback", Arrays.copyOfRange(rest, 1, rest.length), out, err);
            case "evidence":
                return evidence(rest, out, err);
            case "logs":
                return new LogsCli(new LinuxStorage(), out, err,
                        () -> java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L), () -> !out.checkError())
                        .run(rest, Clock.systemUTC().instant());
            case "version":
                out.println("waveos " + AgentMain.version());
                return 0;
            default:
                err.println("waveos: unknown command '" + args[0] + "'\n" + USAGE);
                return 2;
        }
    }

    private static int agent(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Optional<Path> config = Optional.empty();
        Optional<Path> check = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--config" -> {
                    if (!hasValue) {
                        return usage(err, "--config needs a file");
                    }
                    config = Optional.of(Path.of(args[++i]));
                }
                case "--check-config" -> {
                    if (!hasValue) {
                        return usage(err, "--check-config needs a file");
                    }
                    check = Optional.of(Path.of(args[++i]));
                }
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown option '" + args[i] + "' for 'agent'");
                }
            }
        }
        if (check.isPresent()) {
            return AgentMain.checkConfig(check.get(), out, err);
        }
        return AgentMain.run(config.orElse(Path.of("/etc/waveos/agent.yaml")), out, err);
    }

    /** Sends one request to the running agent's control socket (found through its config). */
    private static int control(String request, String[] args, PrintStream out, PrintStream err) {
        Path config = Path.of("/etc/waveos/agent.yaml");
        if (args.length == 2 && args[0].equals("--config")) {
            config = Path.of(args[1]);
        } else if (args.length != 0) {
            return usage(err, "expected: " + request + " [--config FILE]");
        }
        Optional<AgentMain.Loaded> loaded = AgentMain.load(new LinuxStorage(), config, err);
        if (loaded.isEmpty()) {
            return 2;
        }
        Path socket = AgentMain.controlSocket(loaded.get().config());
        try {
            String reply = ControlSocketServer.request(socket, request);
            out.print(reply);
            return reply.startsWith("ok") ? 0 : 1;
        } catch (IOException e) {
            err.println("waveos: no agent answers on " + socket + ": " + e.getMessage());
            return 1;
        }
    }

    private static int events(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("verify")) {
            return usage(err, "expected: events verify FILE");
        }
        Path file = Path.of(args[1]);
        try {
            Optional<byte[]> bytes = new LinuxStorage().read(file);
            if (bytes.isEmpty()) {
                err.println(file + ": no such file");
                return 1;
            }
            EventChainVerifier.Result r = EventChainVerifier.verify(bytes.get());
            if (r instanceof EventChainVerifier.Valid v) {
                out.println(file + ": OK, " + v.lines() + " events, hash chain intact");
                return 0;
            }
            EventChainVerifier.Broken b = (EventChainVerifier.Broken) r;
            out.println(file + ": BROKEN at line " + b.line() + ": " + b.what());
            return 1;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        }
    }

    private static int evidence(String[] args, PrintStream out, PrintStream err) {
        String expected = "expected: evidence export|list [--config FILE] or evidence verify FILE [--key PUB.pem]";
        if (args.length == 0) {
            return usage(err, expected);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "export":
                return control("evidence export", rest, out, err);
            case "list": {
                Path config = Path.of("/etc/waveos/agent.yaml");
                if (rest.length == 2 && rest[0].equals("--config")) {
                    config = Path.of(rest[1]);
                } else if (rest.length != 0) {
                    return usage(err, expected);
                }
                Optional<AgentMain.Loaded> loaded = AgentMain.load(new LinuxStorage(), config, err);
                if (loaded.isEmpty()) {
                    return 2;
                }
                return EvidenceCommand.list(new LinuxStorage(), loaded.get().config().evidence().dir(), out, err);
            }
            case "verify":
                if (rest.length == 1) {
                    return EvidenceCommand.verify(new LinuxStorage(), Path.of(rest[0]), Optional.empty(), out, err);
                } else if (rest.length == 3 && rest[1].equals("--key")) {
                    return EvidenceCommand.verify(new LinuxStorage(), Path.of(rest[0]), Optional.of(Path.of(rest[2])),
                            out, err);
                }
                return usage(err, expected);
            default:
                return usage(err, expected);
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("waveos: " + problem + "\n" + USAGE);
        return 2;
    }
}
