package io.waveos.hil;

import io.waveos.hil.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry point of the simulator's jar: {@code waveos demo}. Other commands belong to the agent's jar;
 * the {@code ./waveos} script dispatches.
 */
public final class HilMain {
    private HilMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("demo")) {
            System.err.println("usage: waveos demo [--seconds N]");
            System.exit(2);
        }
        Duration total = Duration.ofSeconds(20);
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length) {
                try {
                    total = Duration.ofSeconds(Long.parseLong(args[++i]));
                } catch (NumberFormatException e) {
                    System.err.println("waveos demo: --seconds needs a whole number, got '" + args[i] + "'");
                    System.exit(2);
                }
                if (total.getSeconds() < 8) {
                    System.err.println("waveos demo: --seconds must be at least 8");
                    System.exit(2);
                }
            } else {
                System.err.println("waveos demo: unknown option '" + args[i] + "'\nusage: waveos demo [--seconds N]");
                System.exit(2);
            }
        }
        Path home = Path.of(System.getProperty("waveos.home", "."));
        Path agentJar = Path.of(System.getProperty("waveos.agent.jar", home.resolve("agent/target/waveos-agent.jar")
                .toString()));
        System.exit(new Demo(home, agentJar, total, System.out).run());
    }
}
