package io.waveos.agent.api;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed bundles: their install ids, idempotency keys and states. HTTP threads reserve and place
 * pushes; the loop feeds it the update capability's events ({@link #observe}), which move a push
 * through verifying, installing, trial and committed, or end it as rejected or rolled back with a
 * code. A repeated idempotency key returns the first push. Bounded: the oldest finished pushes are
 * forgotten past {@value #CAPACITY}. Thread-safe.
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

    /** The bundle is whole in the inbox (the updater may already have moved it further). */
    public synchronized Push placed(String installId) {
        Push p = byId.get(installId);
        if (p.state() == State.RECEIVING) {
            p = p.with(State.RECEIVED, Optional.empty());
            byId.put(installId, p);
        }
        return p;
    }

    public synchronized Optional<Push> get(String installId) {
        return Optional.ofNullable(byId.get(installId));
    }

    /** Follows the update capability's events (loop thread). */
    public synchronized void observe(Event e) {
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
