package io.waveos.bundles.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line (installed in CI) for interop tests. */
public final class Openssl {

    private Openssl() {
    }

    /** Runs a command in {@code dir}; returns its exit status, stderr folded into the result text. */
    public static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Exit status and combined output. */
    public record Result(int status, String output) {
        public Result ok() {
            if (status != 0) {
                throw new AssertionError("exit " + status + ": " + output);
            }
            return this;
        }
    }
}
