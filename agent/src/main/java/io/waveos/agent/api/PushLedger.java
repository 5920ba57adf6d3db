package io.waveos.agent.api;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed bundles: their install ids, idempotency keys and states. HTTP threads reserve and place
 * pushes; the loop feeds it the update capability's events ({@link #observe}), which move a push
 * through verifying, installing, trial and committed, or end it as rejected or rolled back with a
 * code. A repeated idempotency key returns the first push. Bounded: the oldest finished pushes are
 * forgotten past {@value #CAPACITY}. Thread-safe.
 *
 * <p>Durable when opened with {@link #open}: every placed push and every change of state rewrites the
 * ledger file atomically (fsynced) through {@link Storage}, so a push repeated after a restart or a
 * power cut still returns the first install id and installs once. A reservation whose body has not
 * arrived whole is not written: after a restart its retry is a fresh push.
 */
public final class PushLedger {
    static final int CAPACITY = 1024;

    /** The states of docs/api.md, "Bundle states". */
    public enum State {
        RECEIVING, RECEIVED, VERIFYING, REJECTED, INSTALLING, TRIAL, COMMITTED, ROLLED_BACK;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean finished() {
            return this == REJECTED || this == COMMITTED || this == ROLLED_BACK;
        }
    }

    /** One push: its install id, the inbox file it became, its state and the code of a failure. */
    public record Push(String installId, String idempotencyKey, Optional<String> file, State state,
            Optional<String> code) {
        Push with(State s, Optional<String> c) {
            return new Push(installId, idempotencyKey, file, s, c);
        }
    }

    /** The outcome of {@link #reserve}: a new push to receive, or the first push with this key. */
    public record Reservation(Push push, boolean fresh) {
    }

    private final Map<String, Push> byId = new LinkedHashMap<>();
    private final Map<String, String> idByKey = new LinkedHashMap<>();
    private final Map<String, String> idByFile = new LinkedHashMap<>();
    /** The push the updater is working on (from its "received" event to its end). */
    private Optional<String> current = Optional.empty();
    private long next;
    /** A push moved or {@link #current} changed since the last save. */
    private boolean dirty;
    private final Optional<Storage> storage;
    private final Optional<Path> file;

    /** An in-memory ledger (tests, and a device without a state folder). */
    public PushLedger() {
        this.storage = Optional.empty();
        this.file = Optional.empty();
    }

    private PushLedger(Storage storage, Path file) {
        this.storage = Optional.of(storage);
        this.file = Optional.of(file);
    }

    /**
     * Opens the durable ledger at {@code file}, loading what a previous run wrote (a missing file is an
     * empty ledger).
     *
     * @throws IOException when the file cannot be read or is not a valid ledger; the message names the file
     */
    public static PushLedger open(Storage storage, Path file) throws IOException {
        PushLedger l = new PushLedger(storage, file);
        storage.createDirectories(file.getParent());
        Optional<byte[]> saved = storage.read(file);
        if (saved.isPresent()) {
            try {
                l.load(Json.parse(saved.get()));
            } catch (Json.ParseException | RuntimeException e) {
                throw new IOException(file + ": not a valid push ledger: " + e.getMessage(), e);
            }
        }
        return l;
    }

    private void load(Object doc) {
        Map<?, ?> m = (Map<?, ?>) doc;
        next = (Long) m.get("next");
        for (Object o : (List<?>) m.get("pushes")) {
            Map<?, ?> e = (Map<?, ?>) o;
            Push p = new Push((String) e.get("install_id"), (String) e.get("key"),
                    Optional.of(fileName((String) e.get("install_id"))), State.valueOf((String) e.get("state")),
                    Optional.ofNullable((String) e.get("code")));
            byId.put(p.installId(), p);
            idByKey.put(p.idempotencyKey(), p.installId());
            idByFile.put(p.file().orElseThrow(), p.installId());
        }
        if (m.get("current") instanceof String c && byId.containsKey(c)) {
            current = Optional.of(c);
        }
    }

    /** Writes the placed pushes; a reservation still receiving is left out. Called under the lock. */
    private void save() throws IOException {
        dirty = false;
        if (storage.isEmpty()) {
            return;
        }
        List<Object> list = new ArrayList<>();
        for (Push p : byId.values()) {
            if (p.state() != State.RECEIVING) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("install_id", p.installId());
                e.put("key", p.idempotencyKey());
                e.put("state", p.state().name());
                p.code().ifPresent(c -> e.put("code", c));
                list.add(e);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("next", next);
        current.ifPresent(c -> doc.put("current", c));
        doc.put("pushes", list);
        storage.get().writeAtomically(file.orElseThrow(), Json.write(doc).getBytes(StandardCharsets.UTF_8));
    }

    /** Reserves {@code idempotencyKey}: a fresh push, or the existing one with that key. */
    public synchronized Reservation reserve(String idempotencyKey, String idPrefix) {
        String existing = idByKey.get(idempotencyKey);
        if (existing != null) {
            return new Reservation(byId.get(existing), false);
        }
        forgetOld();
        String id = idPrefix + "-" + String.format("%06d", ++next);
        // The inbox name is known before the file exists: the updater may pick the file up before
        // placed() is called, and its events must find the push.
        String file = fileName(id);
        Push p = new Push(id, idempotencyKey, Optional.of(file), State.RECEIVING, Optional.empty());
        byId.put(id, p);
        idByKey.put(idempotencyKey, id);
        idByFile.put(file, id);
        return new Reservation(p, true);
    }

    /** The inbox file name of a push. */
    public static String fileName(String installId) {
        return "api-" + installId + ".wbundle";
    }

    /** The body did not arrive whole: forget the reservation so that a retry is a fresh push. */
    public synchronized void abandon(String installId) {
        Push p = byId.remove(installId);
        if (p != null) {
            idByKey.remove(p.idempotencyKey());
            p.file().ifPresent(idByFile::remove);
        }
    }

    /**
     * The bundle is whole in the inbox (the updater may already have moved it further).
     *
     * @throws IOException when the durable ledger cannot be written (the push stays remembered in memory)
     */
    public synchronized Push placed(String installId) throws IOException {
        Push p = byId.get(installId);
        if (p.state() == State.RECEIVING) {
            p = p.with(State.RECEIVED, Optional.empty());
            byId.put(installId, p);
            // Written before the 202: a repeat after a restart must find this push.
            save();
        }
        return p;
    }

    public synchronized Optional<Push> get(String installId) {
        return Optional.ofNullable(byId.get(installId));
    }

    /**
     * Follows the update capability's events (loop thread). A durable ledger that cannot be written
     * raises {@link UncheckedIOException} after updating its memory.
     */
    public synchronized void observe(Event e) {
        Optional<String> before = current;
        follow(e);
        if (dirty || !before.equals(current)) {
            try {
                save();
            } catch (IOException x) {
                throw new UncheckedIOException("cannot write the push ledger " + file.orElseThrow(), x);
            }
        }
    }

    private void follow(Event e) {
        Object bundle = e.fields().get("bundle");
        switch (e.code()) {
            case UPDATE_RECEIVED -> {
                current = Optional.ofNullable(bundle).map(b -> idByFile.get(String.valueOf(b)));
                current.ifPresent(id -> move(id, State.VERIFYING, Optional.empty()));
            }
            case UPDATE_REJECTED -> {
                Optional<String> id = Optional.ofNullable(bundle).map(b -> idByFile.get(String.valueOf(b)));
                id.ifPresent(i -> move(i, State.REJECTED, Optional.of(String.valueOf(e.fields().get("error")))));
                if (id.equals(current)) {
                    current = Optional.empty();
                }
            }
            case UPDATE_INSTALLING -> current.ifPresent(id -> move(id, State.INSTALLING, Optional.empty()));
            case UPDATE_ACTIVATED -> current.ifPresent(id -> move(id, State.TRIAL, Optional.empty()));
            case UPDATE_COMMITTED -> end(State.COMMITTED, Optional.empty());
            case UPDATE_ROLLED_BACK -> end(State.ROLLED_BACK, Optional.of(String.valueOf(
                    e.fields().getOrDefault("criterion", e.fields().getOrDefault("error", "trial_failed")))));
            case UPDATE_ROLLBACK_FAILED -> end(State.ROLLED_BACK, Optional.of("rollback_failed"));
            default -> {
                // other events do not move pushes
            }
        }
    }

    private void end(State s, Optional<String> code) {
        current.ifPresent(id -> move(id, s, code));
        current = Optional.empty();
    }

    private void move(String id, State s, Optional<String> code) {
        Push p = byId.get(id);
        if (p != null) {
            byId.put(id, p.with(s, code));
            dirty = true;
        }
    }

    private void forgetOld() {
        Iterator<Push> it = byId.values().iterator();
        while (byId.size() >= CAPACITY && it.hasNext()) {
            Push p = it.next();
            if (p.state().finished()) {
                it.remove();
                idByKey.remove(p.idempotencyKey());
                p.file().ifPresent(idByFile::remove);
            }
        }
    }

    /** Counts of pushes by state, for {@code /metrics}. */
    public synchronized Map<State, Long> counts() {
        Map<State, Long> out = new java.util.EnumMap<>(State.class);
        for (State s : State.values()) {
            out.put(s, 0L);
        }
        byId.values().forEach(p -> out.merge(p.state(), 1L, Long::sum));
        return out;
    }
}
