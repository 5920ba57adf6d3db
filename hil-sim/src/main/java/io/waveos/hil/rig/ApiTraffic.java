package io.waveos.hil.rig;

import io.waveos.agent.platform.linux.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The rig's traffic to a tier-2 device's local API: the fleet's signed pushes ({@code push-bundle via:
 * api}, with the agent's own client {@link ApiClient}, as {@code waveos push} sends them) and hostile
 * traffic ({@link ApiAbuse}). Pushes run one after another on their own thread, so the rig's loop never
 * waits for the device; a push answered {@code 429} or {@code 503}, or not at all (an agent restarting),
 * is retried for up to {@link #PUSH_PATIENCE}, as a fleet server would. What the rig saw is only for
 * its progress lines ({@link #drainNotes}): grading reads the agent's own ledger and audit log.
 */
final class ApiTraffic {
    static final Duration PUSH_PATIENCE = Duration.ofSeconds(15);
    private final ApiAccess access;
    private final Optional<UpdateBundles> bundles;
    private final ExecutorService pushes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hil-api-push");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
    private final List<ApiAbuse> abuse = new ArrayList<>();
    /** The file of the last API push of a bundle (touched by the push thread only). */
    private Optional<Path> lastPushed = Optional.empty();

    ApiTraffic(ApiAccess access, Optional<UpdateBundles> bundles) {
        this.access = access;
        this.bundles = bundles;
    }

    ApiAccess access() {
        return access;
    }

    /** Builds a bundle of {@code kind} (or takes the last one again: {@code repeat}) and pushes it. */
    void push(String kind) {
        pushes.execute(() -> {
            try {
                Path file;
                if (kind.equals("repeat")) {
                    file = lastPushed.orElseThrow(() -> new IllegalStateException("repeat without an earlier push"));
                } else {
                    file = bundles.orElseThrow(() -> new IllegalStateException("push-bundle without device.updates"))
                            .build(kind);
                    lastPushed = Optional.of(file);
                }
                notes.add("API push of " + file.getFileName() + ": " + pushWithRetries(file));
            } catch (IOException | RuntimeException e) {
                notes.add("API push of a " + kind + " bundle failed: " + e);
            }
        });
    }

    private String pushWithRetries(Path file) throws IOException {
        ApiAccess.Key fleet = access.key(ApiAccess.FLEET);
        ApiClient client = new ApiClient(access.base(), fleet.id(), fleet.secret());
        long deadline = System.nanoTime() + PUSH_PATIENCE.toNanos();
        List<String> attempts = new ArrayList<>();
        while (true) {
            long wait;
            try {
                HttpResponse<String> r = client.push(file, Map.of(), sent -> { });
                String answer = r.statusCode() + " " + r.body().trim() + (r.headers().firstValue("Idempotent-Replay")
                        .map(v -> " (Idempotent-Replay: " + v + ")").orElse(""));
                if (r.statusCode() != 429 && r.statusCode() != 503) {
                    attempts.add(answer);
                    return String.join("; then ", attempts);
                }
                attempts.add(r.statusCode() + " " + r.body().trim());
                wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L) * 1000;
            } catch (IOException e) {
                attempts.add("no answer (" + e.getMessage() + ")");
                wait = 500;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return String.join("; then ", attempts) + "; interrupted";
            }
            if (System.nanoTime() + wait * 1_000_000 > deadline) {
                return String.join("; then ", attempts) + "; gave up";
            }
            LockSupport.parkNanos(Math.min(wait, 2000) * 1_000_000);
        }
    }

    /** Starts hostile traffic for {@code length} at {@code rate} requests a second. */
    void abuse(Duration length, int rate) {
        ApiAbuse a = new ApiAbuse(access, length, rate);
        abuse.add(a);
        Thread t = new Thread(a, "hil-api-abuse");
        t.setDaemon(true);
        t.start();
    }

    /** What happened since the last call, for progress lines (the rig's thread). */
    List<String> drainNotes() {
        List<String> out = new ArrayList<>();
        for (String n = notes.poll(); n != null; n = notes.poll()) {
            out.add(n);
        }
        for (ApiAbuse a : List.copyOf(abuse)) {
            if (a.finished()) {
                abuse.remove(a);
                a.close();
                out.add("API abuse over; the agent answered: " + a.summary());
            }
        }
        return out;
    }

    /** Stops the abuse, closes its sockets, and waits (bounded) for a push in flight. */
    void stop() throws InterruptedException {
        abuse.forEach(ApiAbuse::close);
        pushes.shutdownNow();
        pushes.awaitTermination(5, TimeUnit.SECONDS);
    }
}
