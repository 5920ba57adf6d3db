package io.waveos.agent.config;

import java.util.List;

/**
 * The configuration was rejected. Carries every problem found, each naming the file, line, key path
 * and what was expected; never a secret value.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        StringBuilder b = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(p);
        }
        return b.toString();
    }

    /**
     * One problem: {@code file:line: key.path: message}. Line is 1-based, 0 when unknown (e.g. the
     * file could not be read).
     */
    public record ConfigProblem(String file, int line, String keyPath, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + message;
        }
    }
}
