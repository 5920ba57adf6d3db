package io.waveos.agent.update;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The inbox folder: complete bundles are renamed in as {@code *.wbundle}; the oldest name first.
 * An installed bundle is deleted; a refused one is moved to {@code rejected/} for the operator, where
 * only the newest {@value #KEEP_REJECTED} are kept.
 */
final class Inbox {
    static final String SUFFIX = ".wbundle";
    static final String ROOT_SUFFIX = ".root.json";
    static final int KEEP_REJECTED = 4;

    private final SlotStorage files;
    private final Path dir;

    Inbox(SlotStorage files, Path dir) {
        this.files = files;
        this.dir = dir;
    }

    /** A trust-root rotation waiting in the inbox ({@code *.root.json}), first name first. */
    Optional<Path> nextRoot() throws IOException {
        for (String name : files.list(dir)) {
            if (name.endsWith(ROOT_SUFFIX) && !name.startsWith(".") && !files.isDirectory(dir.resolve(name))) {
                return Optional.of(dir.resolve(name));
            }
        }
        return Optional.empty();
    }

    /** Bundles and trust roots waiting (one listing of the folder). */
    int pending() throws IOException {
        int n = 0;
        for (String name : files.list(dir)) {
            if ((name.endsWith(SUFFIX) || name.endsWith(ROOT_SUFFIX)) && !name.startsWith(".")) {
                n++;
            }
        }
        return n;
    }

    Optional<Path> next() throws IOException {
        for (String name : files.list(dir)) {
            Path p = dir.resolve(name);
            if (name.endsWith(SUFFIX) && !name.startsWith(".") && !files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Deletes an installed bundle; an event when that failed (the next scan would offer it again). */
    Optional<Event> consumed(Path bundle) {
        try {
            files.deleteTree(bundle);
            files.syncDirectory(dir);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Event.of(EventCode.UPDATE_UNAVAILABLE, "update",
                    "cannot delete the installed bundle " + bundle + ": " + e.getMessage()));
        }
    }

    /** Moves a refused bundle to {@code rejected/}; an event when that failed. */
    Optional<Event> rejected(Path bundle) {
        Path rejected = dir.resolve("rejected");
        try {
            files.createDirectories(rejected);
            List<String> kept = files.list(rejected);
            for (int i = 0; i <= kept.size() - KEEP_REJECTED; i++) {
                files.deleteTree(rejected.resolve(kept.get(i)));
            }
            files.rename(bundle, rejected.resolve(String.format("%06d-", nextNumber(kept)) + bundle.getFileName()));
            files.syncDirectory(rejected);
            files.syncDirectory(dir);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Event.of(EventCode.UPDATE_UNAVAILABLE, "update", "cannot move the refused bundle "
                    + bundle + " to " + rejected + ": " + e.getMessage() + "; deleting it instead"
                    + deleteQuietly(bundle)));
        }
    }

    private String deleteQuietly(Path bundle) {
        try {
            files.deleteTree(bundle);
            return "";
        } catch (IOException e) {
            return " (delete failed too: " + e.getMessage() + ")";
        }
    }

    /** Names in rejected/ start with a counter so that sorted order is arrival order. */
    private static int nextNumber(List<String> kept) {
        int max = 0;
        for (String k : kept) {
            if (k.matches("\\d{6}-.*")) {
                max = Math.max(max, Integer.parseInt(k.substring(0, 6)));
            }
        }
        return (max + 1) % 1_000_000;
    }
}
