package io.waveos.agent;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.policy.Policy;
import io.waveos.agent.policy.PolicyLoader;
import io.waveos.agent.policy.RecordedRun;
import io.waveos.agent.policy.Replay;
import io.waveos.agent.policy.Rule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code waveos policy check FILE} and {@code waveos policy replay --policy FILE --run DIR}.
 * Exit codes: 0 ok, 1 a run that cannot be read, 2 bad usage or an invalid policy (every problem
 * printed as {@code file:line: key.path: message}).
 */
final class PolicyCli {
    static final String USAGE = "expected: policy check FILE | policy replay --policy FILE --run DIR";

    private final Storage storage;
    private final PrintStream out;
    private final PrintStream err;

    PolicyCli(Storage storage, PrintStream out, PrintStream err) {
        this.storage = storage;
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 2 && args[0].equals("check")) {
            return check(Path.of(args[1]));
        }
        if (args.length == 5 && args[0].equals("replay")) {
            Optional<Path> policy = Optional.empty();
            Optional<Path> run = Optional.empty();
            for (int i = 1; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--policy" -> policy = Optional.of(Path.of(args[i + 1]));
                    case "--run" -> run = Optional.of(Path.of(args[i + 1]));
                    default -> {
                        return usage();
                    }
                }
            }
            if (policy.isPresent() && run.isPresent()) {
                return replay(policy.get(), run.get());
            }
        }
        return usage();
    }

    private int usage() {
        err.println("waveos: " + USAGE);
        return 2;
    }

    private Optional<Policy> load(Path file) {
        try {
            Optional<byte[]> bytes = storage.read(file);
            if (bytes.isEmpty()) {
                err.println(file + ":0: cannot read the policy: no such file");
                return Optional.empty();
            }
            return Optional.of(new PolicyLoader().parse(file.toString(), bytes.get()));
        } catch (IOException e) {
            err.println(file + ":0: cannot read the policy: " + e.getMessage());
        } catch (ConfigException e) {
            err.println(e.getMessage());
        }
        return Optional.empty();
    }

    private int check(Path file) {
        Optional<Policy> p = load(file);
        if (p.isEmpty()) {
            return 2;
        }
        long shadowed = p.get().rules().stream().filter(Rule::shadow).count();
        out.println(file + ": OK (policy_version " + p.get().version() + ", " + p.get().rules().size() + " rules, "
                + shadowed + " in shadow mode, sha256 " + p.get().sha256() + ")");
        return 0;
    }

    private int replay(Path policyFile, Path runDir) {
        Optional<Policy> p = load(policyFile);
        if (p.isEmpty()) {
            return 2;
        }
        RecordedRun run;
        try {
            Optional<byte[]> metrics = storage.read(runDir.resolve("metrics.csv"));
            Optional<byte[]> events = storage.read(runDir.resolve("events.jsonl"));
            if (metrics.isEmpty() && events.isEmpty()) {
                err.println(runDir + ": neither metrics.csv nor events.jsonl found");
                return 1;
            }
            run = RecordedRun.parse(metrics, events);
        } catch (IOException | IllegalArgumentException e) {
            err.println(runDir + ": cannot read the run: " + e.getMessage());
            return 1;
        }
        run.skipped().forEach(s -> err.println("skipped " + s));
        List<Replay.Decision> decisions = Replay.run(p.get(), run);
        decisions.forEach(d -> out.println(d.line()));
        out.println("replayed " + run.samples().size() + " samples and " + run.events().size() + " events through "
                + policyFile + " (policy_version " + p.get().version() + "): " + decisions.size() + " decisions");
        return 0;
    }
}
