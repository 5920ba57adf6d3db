package io.waveos.hil;

import io.waveos.hil.runner.HilCommand;

/**
 * Entry point of the simulator's jar: {@code waveos hil run|list} and {@code waveos demo}. Other
 * commands belong to the agent's jar; the {@code ./waveos} script dispatches.
 */
public final class HilMain {
    private HilMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(new HilCommand(System.out, System.err).run(args));
    }
}
