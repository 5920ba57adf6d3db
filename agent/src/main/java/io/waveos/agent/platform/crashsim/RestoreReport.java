package io.waveos.agent.platform.crashsim;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link CrashRestorer#restore} did to the tracked folders.
 *
 * @param truncated appends cut back to their synced length ("path (from -> to bytes)")
 * @param restored  files, folders, links and modes brought back to their durable content
 * @param removed   names a power cut would not have kept
 * @param unknown   files nobody the journal knows wrote (service logs written by the launcher, say): left alone
 * @param problems  anything the restore could not do exactly, and a kill inside a storage operation
 */
public record RestoreReport(List<String> truncated, List<String> restored, List<String> removed, List<String> unknown,
        List<String> problems) {
    public RestoreReport {
        truncated = List.copyOf(truncated);
        restored = List.copyOf(restored);
        removed = List.copyOf(removed);
        unknown = List.copyOf(unknown);
        problems = List.copyOf(problems);
    }

    /** How many files, folders and links the restore changed. */
    public int changes() {
        return truncated.size() + restored.size() + removed.size();
    }

    /** A short line for timelines: "3 truncated, 1 restored, 2 removed". */
    public String summary() {
        return truncated.size() + " truncated, " + restored.size() + " restored, " + removed.size() + " removed"
                + (unknown.isEmpty() ? "" : ", " + unknown.size() + " unknown left alone")
                + (problems.isEmpty() ? "" : ", " + problems.size() + " problems");
    }

    /** The whole report, one section per list, for a human reading the run folder. */
    public String text() {
        StringBuilder b = new StringBuilder("restore: ").append(summary()).append('\n');
        section(b, "truncated (unsynced appends)", truncated);
        section(b, "restored (durable content brought back)", restored);
        section(b, "removed (not durable)", removed);
        section(b, "unknown writers (left alone)", unknown);
        section(b, "problems", problems);
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            b.append(title).append(":\n");
            lines.forEach(l -> b.append("  ").append(l).append('\n'));
        }
    }

    static final class Builder {
        private final List<String> truncated = new ArrayList<>();
        private final List<String> restored = new ArrayList<>();
        private final List<String> removed = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        void truncated(String s) {
            truncated.add(s);
        }

        void restored(String s) {
            restored.add(s);
        }

        void removed(String s) {
            removed.add(s);
        }

        void unknown(String s) {
            unknown.add(s);
        }

        void problem(String s) {
            problems.add(s);
        }

        RestoreReport build() {
            return new RestoreReport(truncated, restored, removed, unknown, problems);
        }
    }
}
