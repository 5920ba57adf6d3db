package io.waveos.hil.scenario;

import java.util.List;

/** A scenario file was rejected; the message has one {@code FILE:LINE: KEY: problem} a line. */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ScenarioException(List<Problem> problems) {
        super(String.join("\n", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** One problem: the file, the 1-based line (0 when unknown), the key path and what was wrong. */
    public record Problem(String file, int line, String key, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + message;
        }
    }
}
