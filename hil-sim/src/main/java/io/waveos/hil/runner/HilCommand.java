package io.waveos.hil.runner;

import io.waveos.hil.rig.ProcessRig;
import io.waveos.hil.rig.Rig;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioException;
import io.waveos.hil.virtual.VirtualRig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code hil list}, {@code hil run [SCENARIO...] [--seed N] [--tier 1|2] [--out DIR]
 * [--variations N]} and {@code demo}. Exit codes: 0 all passed, 1 a scenario failed, 2 usage or an
 * invalid scenario file.
 */
public final class HilCommand {
    static final String USAGE = "usage: waveos hil list\n"
            + "       waveos hil run [SCENARIO|FILE.yaml ...] [--seed N] [--tier 1|2] [--variations N] [--out DIR]\n"
            + "       waveos demo [--out DIR]";
    private final PrintStream out;
    private final PrintStream err;

    public HilCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) throws IOException, InterruptedException {
        if (args.length >= 1 && args[0].equals("demo")) {
            return new Demo(out, outDir(args, 1)).run();
        }
        if (args.length < 2 || !args[0].equals("hil")) {
            err.println(USAGE);
            return 2;
        }
        ScenarioLibrary library = new ScenarioLibrary();
        try {
            if (args[1].equals("list")) {
                for (Scenario s : library.all()) {
                    out.printf("%-28s tiers %-6s %5d s  %s%n", s.name(), new java.util.TreeSet<>(s.tiers()).toString().replace(" ", ""),
                            s.duration().toSeconds(), s.title());
                }
                return 0;
            }
            if (!args[1].equals("run")) {
                err.println(USAGE);
                return 2;
            }
            return runCommand(args, library);
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("waveos hil: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
    }

    private int runCommand(String[] args, ScenarioLibrary library)
            throws IOException, InterruptedException, ScenarioException {
        long seed = 1;
        int tier = 2;
        int variations = 1;
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = number(args, ++i);
                case "--tier" -> tier = (int) number(args, ++i);
                case "--variations" -> variations = (int) number(args, ++i);
                case "--out" -> i++;
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    names.add(args[i]);
                }
            }
        }
        if (tier != 1 && tier != 2) {
            throw new IllegalArgumentException("--tier must be 1 or 2");
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String n : names.isEmpty() ? library.names() : names) {
            Scenario s = library.load(n);
            if (s.tiers().contains(tier)) {
                scenarios.add(s);
            } else if (!names.isEmpty()) {
                throw new IllegalArgumentException("scenario " + s.name() + " runs on tiers " + s.tiers() + " only");
            }
        }
        Path dir = outDir(args, 2);
        Rig rig = tier == 1 ? new VirtualRig() : ProcessRig.onOwnClassPath();
        if (tier == 1 && variations > 1) {
            return new Variations(out).run(scenarios, seed, variations, dir) ? 0 : 1;
        }
        Campaign.Outcome o = new Campaign(rig, tier, out, System.console() != null).run(scenarios, seed, dir,
                String.join(", ", scenarios.stream().map(Scenario::name).toList()));
        out.println("report: " + o.report());
        out.println("junit:  " + o.junit());
        return o.passed() ? 0 : 1;
    }

    private static long number(String[] args, int i) {
        if (i >= args.length || !args[i].matches("\\d{1,9}")) {
            throw new IllegalArgumentException(args[i - 1] + " needs a whole number");
        }
        return Long.parseLong(args[i]);
    }

    static Path outDir(String[] args, int from) throws IOException {
        for (int i = from; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                return Path.of(args[i + 1]);
            }
        }
        Path base = Path.of(System.getProperty("waveos.hil.out", "hil-reports"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base.toAbsolutePath(), "run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-")));
    }
}
