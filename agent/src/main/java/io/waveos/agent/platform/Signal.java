package io.waveos.agent.platform;

import java.util.Arrays;
import java.util.Optional;

/** The POSIX signals the agent sends or reports, with their Linux numbers. */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ILL(4), TRAP(5), ABRT(6), BUS(7), FPE(8), KILL(9), USR1(10), SEGV(11),
    USR2(12), PIPE(13), ALRM(14), TERM(15), CHLD(17), CONT(18), STOP(19), TSTP(20);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static Optional<Signal> ofNumber(int number) {
        return Arrays.stream(values()).filter(s -> s.number == number).findFirst();
    }

    /** Accepts {@code TERM} or {@code SIGTERM}, any case. */
    public static Optional<Signal> ofName(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        String bare = n.startsWith("SIG") ? n.substring(3) : n;
        return Arrays.stream(values()).filter(s -> s.name().equals(bare)).findFirst();
    }
}
