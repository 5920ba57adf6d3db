package io.waveos.agent.update.tool;

import io.waveos.bundles.verify.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr for large payloads: one line per 5 % step ({@code verify: 45% (45.0 of 100.0 MiB)}),
 * only when the payload is at least {@value #MIN_BYTES} bytes and progress is on ({@code --progress}, or
 * stderr is interactive). Not thread-safe; driven by the thread doing the work.
 */
final class ProgressMeter implements Progress {

    /** Payloads smaller than this (8 MiB) finish too fast for progress to help. */
    static final long MIN_BYTES = 8L << 20;
    private static final int STEP_PERCENT = 5;

    private final PrintStream err;
    private final String label;
    private final boolean on;
    private int shown = -1;

    private ProgressMeter(PrintStream err, String label, boolean on) {
        this.err = err;
        this.label = label;
        this.on = on;
    }

    /** A meter for {@code label}, on when {@code --progress} was given or the session is interactive. */
    static ProgressMeter of(Invocation inv, Options opts, String label) {
        return new ProgressMeter(inv.err(), label, opts.flag("--progress") || inv.interactive());
    }

    @Override
    public void advanced(long bytesDone, long bytesTotal) {
        if (!on || bytesTotal < MIN_BYTES) {
            return;
        }
        int percent = (int) (bytesDone * 100 / bytesTotal);
        int step = percent / STEP_PERCENT * STEP_PERCENT;
        if (step > shown) {
            shown = step;
            err.println(String.format(Locale.ROOT, "%s: %d%% (%.1f of %.1f MiB)", label, step,
                    bytesDone / 1048576.0, bytesTotal / 1048576.0));
        }
    }
}
