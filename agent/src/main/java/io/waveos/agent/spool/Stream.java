package io.waveos.agent.spool;

/** Where a record's bytes came from; the code is the byte stored in the record. */
public enum Stream {
    STDOUT(0, "stdout"),
    STDERR(1, "stderr"),
    /** The agent's own log lines (service name {@code agent}). */
    AGENT(2, "agent");

    private final int code;
    private final String wire;

    Stream(int code, String wire) {
        this.code = code;
        this.wire = wire;
    }

    public int code() {
        return code;
    }

    /** The name in JSON and on the command line. */
    public String wire() {
        return wire;
    }

    /** The stream of a stored code; empty for a code this version does not know. */
    public static java.util.Optional<Stream> ofCode(int code) {
        for (Stream s : values()) {
            if (s.code == code) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
