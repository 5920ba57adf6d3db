package io.waveos.agent;

import io.waveos.agent.api.ApiRouter;
import io.waveos.agent.api.ApiService;
import io.waveos.agent.api.AuditLog;
import io.waveos.agent.api.Authenticator;
import io.waveos.agent.api.FlagSource;
import io.waveos.agent.api.FlagStore;
import io.waveos.agent.api.KeySource;
import io.waveos.agent.api.PrometheusText;
import io.waveos.agent.api.PushLedger;
import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.platform.EventLoop;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.linux.ApiHttpServer;
import io.waveos.agent.platform.linux.InboxFiles;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.agent.platform.linux.PemTls;
import io.waveos.agent.platform.linux.SystemClocks;
import io.waveos.agent.supervision.ServiceInput;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.ServiceState;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.Redaction;
import io.waveos.agent.telemetry.Sample;
import io.waveos.agent.update.ActiveSlots;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The local API as the agent runs it: the answers computed on the loop ({@link ApiService}), the
 * recent events it serves, the latest sample, and the HTTP server's lifetime. Built before the loop
 * starts (it observes events and samples from the start).
 */
final class AgentApi implements ApiService, AutoCloseable {
    static final int RECENT_EVENTS = 2000;
    static final int RECENT_INCIDENTS = 20;
    static final Set<EventCode> INCIDENTS = Set.of(EventCode.INTENSITY_EXCEEDED, EventCode.MODE_CHANGED,
            EventCode.UPDATE_REJECTED, EventCode.UPDATE_ROLLED_BACK, EventCode.UPDATE_ROLLBACK_FAILED,
            EventCode.POLICY_DECISION, EventCode.LOOP_STALLED, EventCode.WATCHDOG_ERROR, EventCode.COMPANION_ERROR,
            EventCode.SERVICE_DISABLED, EventCode.REBOOT_INTENT);

    private final AgentConfig config;
    private final ApiConfig api;
    private final Agent agent;
    private final EventLoop<LoopEvent> loop;
    private final LongSupplier lastSeq;
    private final Redaction redaction;
    private final SystemClocks clocks;
    private final PushLedger pushes;
    private final Optional<FlagSource> flagSource;
    private final Optional<KeySource> keySource;
    private final Authenticator authenticator;
    private final FlagStore flags;
    private final AuditLog audit;
    private final SlotStorage slotStorage;
    private ApiHttpServer server;
    /** Loop thread only. */
    private final ArrayDeque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Map<EventCode, Long> counts = new EnumMap<>(EventCode.class);
    private Optional<Sample> latest = Optional.empty();

    private AgentApi(AgentConfig config, Agent agent, EventLoop<LoopEvent> loop, LongSupplier lastSeq,
            Redaction redaction, SystemClocks clocks, FlagStore flags, AuditLog audit, PushLedger pushes,
            Optional<FlagSource> flagSource, Optional<KeySource> keySource, Authenticator authenticator,
            SlotStorage slotStorage) {
        this.config = config;
        this.api = config.api().orElseThrow();
        this.agent = agent;
        this.loop = loop;
        this.lastSeq = lastSeq;
        this.redaction = redaction;
        this.clocks = clocks;
        this.flags = flags;
        this.audit = audit;
        this.pushes = pushes;
        this.flagSource = flagSource;
        this.keySource = keySource;
        this.authenticator = authenticator;
        this.slotStorage = slotStorage;
    }

    /**
     * Opens the API when configured: registers with the agent (before it starts) and binds the server.
     * A failure is an event; the agent supervises on without the API.
     */
    static Optional<AgentApi> open(AgentConfig config, Agent agent, EventLoop<LoopEvent> loop, LongSupplier lastSeq,
            Redaction redaction, Storage storage, SlotStorage slotStorage, SystemClocks clocks) {
        if (config.api().isEmpty()) {
            return Optional.empty();
        }
        ApiConfig api = config.api().get();
        Path dir = config.paths().state().resolve("api");
        try {
            FlagStore flags = new FlagStore(api.flags(), storage, dir);
            AuditLog audit = new AuditLog(storage, config.paths().logs().resolve("api-audit.jsonl"), 8L << 20, clocks);
            PushLedger pushes = PushLedger.open(storage, dir.resolve("pushes.json"));
            ActiveSlots slots = ActiveSlots.of(slotStorage, config.paths().state().resolve("updates"));
            Optional<FlagSource> flagSource = api.flagsBundle().map(fb -> new FlagSource(fb, storage, slots));
            Optional<KeySource> keySource = api.keysBundle().map(kb -> new KeySource(kb, api.keys().stream()
                    .map(ApiConfig.Key::id).collect(java.util.stream.Collectors.toSet()), storage, slots));
            AgentApi a = new AgentApi(config, agent, loop, lastSeq, redaction, clocks, flags, audit, pushes, flagSource,
                    keySource, new Authenticator(api, clocks), slotStorage);
            a.loadBundleFlags();
            a.loadBundleKeys();
            agent.observeEvents(a::observe);
            agent.onSamples(s -> a.latest = Optional.of(s));
            String prefix = Long.toString(clocks.now().getEpochSecond(), 36);
            ApiRouter router = new ApiRouter(a, a.pushes, flags, api.limits().replyTimeout(), prefix);
            a.server = new ApiHttpServer(api, router, a.authenticator, audit, clocks,
                    api.tls().isPresent() ? Optional.of(PemTls.context(api.tls().get())) : Optional.empty());
            loop.submit(new LoopEvent.Emit(Event.of(EventCode.API_STATE, "api", "listening", "bind", api.bind(), "port",
                    a.server.port(), "tls", api.tls().isPresent(), "keys", api.keys().size())));
            return Optional.of(a);
        } catch (IOException | RuntimeException e) {
            loop.submit(new LoopEvent.Emit(Event.of(EventCode.API_STATE, "api", "cannot open the local API: "
                    + e.getMessage(), "bind", api.bind(), "port", api.port())));
            return Optional.empty();
        }
    }

    int port() {
        return server.port();
    }

    /**
     * Puts the config bundle's flags in force (at start and when the component commits); a refused file
     * leaves the flags in force as they were. Events go through the loop's queue: this may run inside an
     * observer.
     */
    private void loadBundleFlags() {
        if (flagSource.isEmpty()) {
            return;
        }
        FlagSource.Result r = flagSource.get().load();
        Event e;
        if (r instanceof FlagSource.Found f) {
            try {
                flags.fromBundle(f.flags());
                e = Event.of(EventCode.API_FLAGS_LOADED, "api", "feature flags of the config bundle in force",
                        "source", f.source(), "flags", String.join(",", new java.util.TreeSet<>(f.flags().keySet())));
            } catch (IOException x) {
                e = Event.of(EventCode.STATE_WRITE_FAILED, "api", "cannot write flags.env: " + x.getMessage());
            }
        } else if (r instanceof FlagSource.Refused f) {
            e = Event.of(EventCode.API_FLAGS_REFUSED, "api", "flags of the config bundle refused, the flags in force "
                    + "stay: " + f.why(), "source", f.source(), "error", f.why());
        } else if (r instanceof FlagSource.Absent f) {
            // The flags in force follow the active slot: a slot without a flags file brings none.
            try {
                flags.fromBundle(Map.of());
                e = Event.of(EventCode.API_FLAGS_LOADED, "api", "no flags from the config bundle: " + f.why(),
                        "source", "bundle " + flagSource.get().component(), "flags", "");
            } catch (IOException x) {
                e = Event.of(EventCode.STATE_WRITE_FAILED, "api", "cannot write flags.env: " + x.getMessage());
            }
        } else {
            throw new IllegalStateException("unknown result " + r);
        }
        loop.submit(new LoopEvent.Emit(e));
    }

    /**
     * Puts the certs bundle's API keys in force (at start and when the component commits); a refused file
     * leaves the keys in force as they were. Events name key ids, never secrets.
     */
    private void loadBundleKeys() {
        if (keySource.isEmpty()) {
            return;
        }
        KeySource.Result r = keySource.get().load();
        Event e;
        if (r instanceof KeySource.Found f) {
            authenticator.bundleKeys(f.keys());
            e = Event.of(EventCode.API_KEYS_LOADED, "api", "API keys of the certs bundle in force", "source", f.source(),
                    "key_ids", String.join(",", f.keys().stream().map(ApiConfig.Key::id).sorted().toList()));
        } else if (r instanceof KeySource.Refused f) {
            e = Event.of(EventCode.API_KEYS_REFUSED, "api", "API keys of the certs bundle refused, the keys in force "
                    + "stay: " + f.why(), "source", f.source(), "error", f.why());
        } else if (r instanceof KeySource.Absent f) {
            authenticator.bundleKeys(List.of());
            e = Event.of(EventCode.API_KEYS_LOADED, "api", "no API keys from the certs bundle: " + f.why(),
                    "source", "bundle " + keySource.get().component(), "key_ids", "");
        } else {
            throw new IllegalStateException("unknown result " + r);
        }
        loop.submit(new LoopEvent.Emit(e));
    }

    private void observe(Event e) {
        if (e.code() == EventCode.UPDATE_COMMITTED && flagSource.isPresent()
                && flagSource.get().component().equals(e.subject())) {
            loadBundleFlags();
        }
        if (e.code() == EventCode.UPDATE_COMMITTED && keySource.isPresent()
                && keySource.get().component().equals(e.subject())) {
            loadBundleKeys();
        }
        try {
            pushes.observe(e);
        } catch (java.io.UncheckedIOException x) {
            // Submitted, not emitted: an observer must not emit while the loop delivers an event.
            loop.submit(new LoopEvent.Emit(Event.of(EventCode.STATE_WRITE_FAILED, "api",
                    x.getMessage() + ": " + x.getCause().getMessage())));
        }
        counts.merge(e.code(), 1L, Long::sum);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", lastSeq.getAsLong());
        m.put("ts", clocks.now().toString());
        m.put("code", e.code().wire());
        m.put("subject", e.subject());
        m.put("reason", redaction.apply(e.reason()));
        Map<String, Object> fields = new LinkedHashMap<>();
        e.fields().forEach((k, v) -> fields.put(k, v instanceof String s ? redaction.apply(s) : String.valueOf(v)));
        m.put("fields", fields);
        recent.addLast(m);
        if (recent.size() > RECENT_EVENTS) {
            recent.removeFirst();
        }
    }

    /** Runs {@code query} on the loop; the future completes with its answer (or its failure). */
    private <T> CompletableFuture<T> onLoop(Function<Agent, T> query) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.submit(new LoopEvent.ForApi(() -> {
            try {
                f.complete(query.apply(agent));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }));
        return f;
    }

    @Override
    public CompletableFuture<Boolean> ping() {
        return onLoop(a -> true);
    }

    @Override
    public CompletableFuture<Readiness> readiness() {
        return onLoop(a -> {
            if (a.shuttingDown()) {
                return new Readiness(false, "shutting down");
            }
            if (a.mode() == Mode.SAFE && !api.readyInSafe()) {
                return new Readiness(false, "in SAFE mode");
            }
            for (ServiceMachine m : a.supervisor().services()) {
                if (m.config().essential() && m.state() != ServiceState.RUNNING) {
                    return new Readiness(false, "essential service " + m.name() + " is " + m.state());
                }
            }
            return new Readiness(true, "mode " + a.mode() + ", essential services running");
        });
    }

    @Override
    public CompletableFuture<Map<String, Object>> status() {
        return onLoop(a -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("agent_version", AgentMain.version());
            doc.put("device_id", config.deviceId());
            doc.put("mode", a.mode().name());
            List<Object> services = new ArrayList<>();
            for (ServiceMachine m : a.supervisor().services()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", m.name());
                s.put("state", m.state().name());
                m.process().ifPresent(p -> s.put("pid", p.pid()));
                s.put("restarts", (long) m.restartsSinceStable());
                s.put("essential", m.config().essential());
                services.add(s);
            }
            doc.put("services", services);
            doc.put("slots", slots());
            List<Object> incidents = new ArrayList<>();
            recent.descendingIterator().forEachRemaining(e -> {
                if (incidents.size() < RECENT_INCIDENTS && INCIDENTS.stream().anyMatch(c -> c.wire().equals(e.get("code")))) {
                    incidents.add(e);
                }
            });
            doc.put("recent_incidents", incidents);
            doc.put("guardian", a.guardian().<Object>map(g -> Map.of("state", g.state().name(),
                    "pending_requests", (long) g.pendingRequests())).orElse(Map.of("state", "not configured")));
            return doc;
        });
    }

    private List<Object> slots() {
        List<Object> out = new ArrayList<>();
        if (config.updates().isEmpty()) {
            return out;
        }
        SlotInstaller installer = new SlotInstaller(slotStorage, config.paths().state().resolve("updates"));
        try {
            for (String c : installer.components()) {
                installer.active(c).ifPresent(s -> out.add(Map.of("component", s.component(), "slot", s.slot(),
                        "version", s.version(), "version_name", s.versionName(), "bundle_id", s.bundleId(),
                        "mark", s.mark().name())));
            }
        } catch (IOException e) {
            out.add(Map.of("error", "cannot read the slots: " + e.getMessage()));
        }
        return out;
    }

    @Override
    public CompletableFuture<String> metrics() {
        return onLoop(a -> {
            PrometheusText t = new PrometheusText().sample(latest);
            for (Mode m : Mode.values()) {
                t.gauge("waveos_mode", "1 for the agent's current mode", Map.of("mode", m.name()), a.mode() == m ? 1 : 0);
            }
            for (ServiceMachine m : a.supervisor().services()) {
                t.gauge("waveos_service_up", "1 when the service's process runs", Map.of("service", m.name()),
                        m.state() == ServiceState.RUNNING ? 1 : 0);
                t.counter("waveos_service_launches_total", "launches of the service", Map.of("service", m.name()),
                        m.launches());
            }
            counts.forEach((code, n) -> t.counter("waveos_events_total",
                    "events by code (policy, spool, update, link and the rest)", Map.of("code", code.wire()), n));
            pushes.counts().forEach((s, n) -> t.gauge("waveos_api_pushes", "pushed bundles remembered, by state",
                    Map.of("state", s.wire()), n));
            server.answered().forEach((status, n) -> t.counter("waveos_api_responses_total",
                    "API answers by HTTP status (0: the peer left first)", Map.of("status", status.toString()), n));
            a.guardian().ifPresent(g -> t.gauge("waveos_guardian_pending_requests", "approval requests waiting",
                    Map.of(), g.pendingRequests()));
            return t.text();
        });
    }

    @Override
    public CompletableFuture<List<Map<String, Object>>> events(long since, int limit) {
        return onLoop(a -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> e : recent) {
                if ((Long) e.get("seq") > since && out.size() < limit) {
                    out.add(e);
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Boolean> restart(String service, String operator) {
        return onLoop(a -> {
            if (a.supervisor().service(service).isEmpty()) {
                return false;
            }
            a.sink().emit(Event.of(EventCode.API_RESTART_REQUESTED, service, "restart requested through the API",
                    "operator", operator));
            a.supervisor().deliver(service, new ServiceInput.Stop("restart requested by " + operator, false));
            return true;
        });
    }

    @Override
    public CompletableFuture<String> exportEvidence(String operator) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        loop.submit(new LoopEvent.Control("evidence export", operator, reply));
        return reply;
    }

    @Override
    public void flagsOverridden(Map<String, String> changes, String operator) {
        loop.submit(new LoopEvent.Emit(Event.of(EventCode.API_FLAGS_OVERRIDDEN, "api", "feature flags overridden",
                "operator", operator, "flags", Json.write(new LinkedHashMap<>(changes)))));
    }

    @Override
    public void placeBundle(InputStream body, String installId) throws IOException {
        Path inbox = config.updates().orElseThrow(() -> new io.waveos.agent.api.ApiFailure(
                io.waveos.agent.api.ApiError.UNAVAILABLE, "updates are not configured on this device")).inbox();
        InboxFiles.place(body, inbox, PushLedger.fileName(installId));
        loop.submit(new LoopEvent.Emit(Event.of(EventCode.API_BUNDLE_PUSHED, "update", "bundle pushed into the inbox",
                "install_id", installId, "bundle", PushLedger.fileName(installId))));
    }

    /** Drains requests in flight (they are answered by the still-running loop), then closes the audit log. */
    @Override
    public void close() {
        server.close();
        try {
            audit.close();
        } catch (IOException e) {
            System.err.println("waveos: cannot close the API audit log: " + e.getMessage());
        }
    }
}
