package io.waveos.agent.config;

/** Per-service stdout/stderr files: rotate at {@code maxFileBytes}, keep {@code keepFiles} old ones. */
public record OutputConfig(long maxFileBytes, int keepFiles) {
    public OutputConfig {
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException("output max file size must be at least 1 KiB");
        }
        if (keepFiles < 0 || keepFiles > 100) {
            throw new IllegalArgumentException("output keep must be in [0, 100]");
        }
    }

    public static OutputConfig defaults() {
        return new OutputConfig(1024L * 1024, 3);
    }
}
