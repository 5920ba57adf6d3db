package io.waveos.agent.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one service process.
 *
 * @param service the service name, used for output files and thread names
 * @param command the program and its arguments; the program is looked up on PATH when not absolute
 * @param environment added to (and overriding) the agent's own environment
 * @param workingDirectory where the process starts; empty means the agent's working directory
 * @param user run as this user (needs root); empty means the agent's user
 * @param group run with this group (needs root); empty means the user's primary group
 * @param output where stdout and stderr go, with rotation limits
 */
public record LaunchSpec(
        String service,
        List<String> command,
        Map<String, String> environment,
        Optional<Path> workingDirectory,
        Optional<String> user,
        Optional<String> group,
        OutputSpec output) {
    public LaunchSpec {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty for service " + service);
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /**
     * Per-service output files: {@code DIR/SERVICE.stdout.log} and {@code .stderr.log}, rotated when
     * a file reaches {@code maxFileBytes}, keeping {@code keepFiles} rotated files besides the live
     * one. The reader's buffer is fixed, so a flooding service cannot grow the agent's memory.
     *
     * @param files false: no output files (the spool alone keeps the output)
     */
    public record OutputSpec(Path directory, long maxFileBytes, int keepFiles, boolean files) {
        /** Output files on. */
        public OutputSpec(Path directory, long maxFileBytes, int keepFiles) {
            this(directory, maxFileBytes, keepFiles, true);
        }

        public OutputSpec {
            if (maxFileBytes < 1024) {
                throw new IllegalArgumentException("maxFileBytes must be at least 1024: " + maxFileBytes);
            }
            if (keepFiles < 0) {
                throw new IllegalArgumentException("keepFiles must not be negative: " + keepFiles);
            }
        }
    }
}
