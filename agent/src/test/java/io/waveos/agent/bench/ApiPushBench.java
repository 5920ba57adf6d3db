package io.waveos.agent.bench;

import io.waveos.agent.api.ApiRouter;
import io.waveos.agent.api.ApiService;
import io.waveos.agent.api.AuditLog;
import io.waveos.agent.api.Authenticator;
import io.waveos.agent.api.FlagStore;
import io.waveos.agent.api.PrometheusText;
import io.waveos.agent.api.PushLedger;
import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import io.waveos.agent.platform.linux.ApiClient;
import io.waveos.agent.platform.linux.ApiHttpServer;
import io.waveos.agent.platform.linux.InboxFiles;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.platform.linux.SystemClocks;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push burst of issue #7 against the real API server (auth, limits, streaming into an inbox with
 * fsync, idempotency) with an agent stand-in that answers at once: {@code push DIR} sends 1000 pushes
 * of 200 distinct 64 KiB bodies at concurrency 50; {@code load DIR SECONDS} measures /healthz
 * (unsigned) and signed /metrics at concurrency 16. Prints one line per figure.
 */
public final class ApiPushBench {
    static final String SECRET = "bench-secret-0123456789";

    private ApiPushBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        AtomicInteger placed = new AtomicInteger();
        ApiService agent = new ApiService() {
            @Override
            public CompletableFuture<Boolean> ping() {
                return CompletableFuture.completedFuture(true);
            }

            @Override
            public CompletableFuture<Readiness> readiness() {
                return CompletableFuture.completedFuture(new Readiness(true, "bench"));
            }

            @Override
            public CompletableFuture<Map<String, Object>> status() {
                return CompletableFuture.completedFuture(Map.of());
            }

            @Override
            public CompletableFuture<String> metrics() {
                PrometheusText t = new PrometheusText();
                for (int i = 0; i < 50; i++) {
                    t.gauge("waveos_service_up", "up", Map.of("service", "s" + i), 1);
                }
                return CompletableFuture.completedFuture(t.text());
            }

            @Override
            public CompletableFuture<List<Map<String, Object>>> events(long since, int limit) {
                return CompletableFuture.completedFuture(List.of());
            }

            @Override
            public CompletableFuture<Boolean> restart(String service, String operator) {
                return CompletableFuture.completedFuture(true);
            }

            @Override
            public CompletableFuture<String> exportEvidence(String operator) {
                return CompletableFuture.completedFuture("ok");
            }

            @Override
            public void flagsOverridden(Map<String, String> changes, String operator) {
            }

            @Override
            public void placeBundle(InputStream body, String installId) throws java.io.IOException {
                InboxFiles.place(body, dir.resolve("inbox"), PushLedger.fileName(installId));
                placed.incrementAndGet();
            }
        };
        ApiConfig.Limits d = ApiConfig.Limits.defaults();
        ApiConfig config = new ApiConfig("127.0.0.1", 0, Optional.empty(),
                List.of(new ApiConfig.Key("fleet", SECRET, ApiRole.OPERATOR)),
                new ApiConfig.Limits(100_000, 100_000, 5, d.maxBodyBytes(), 64, d.requestTimeout(), d.skew(), 1_000_000,
                        d.replyTimeout(), d.drain()), Map.of(), false);
        SystemClocks clocks = new SystemClocks();
        LinuxStorage storage = new LinuxStorage();
        try (AuditLog audit = new AuditLog(storage, dir.resolve("audit.jsonl"), 64L << 20, clocks);
                ApiHttpServer server = new ApiHttpServer(config, new ApiRouter(agent, new PushLedger(),
                        new FlagStore(Map.of(), storage, dir.resolve("api")), d.replyTimeout(), "b"),
                        new Authenticator(config, clocks), audit, clocks, Optional.empty())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            if (args[0].equals("push")) {
                push(base, dir, placed);
            } else {
                load(base, "/healthz", Duration.ofSeconds(Long.parseLong(args[2])));
                load(base, "/metrics", Duration.ofSeconds(Long.parseLong(args[2])));
            }
        }
    }

    private static void push(URI base, Path dir, AtomicInteger placed) throws Exception {
        Random random = new Random(7);
        List<Path> bundles = new ArrayList<>();
        Files.createDirectories(dir.resolve("bodies"));
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[64 * 1024];
            random.nextBytes(b);
            bundles.add(Files.write(dir.resolve("bodies/b" + i), b));
        }
        List<Path> order = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            order.add(bundles.get(i % 200));
        }
        Collections.shuffle(order, random);
        ApiClient client = new ApiClient(base, "fleet", SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger replays = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Path p : order) {
            done.add(pool.submit(() -> {
                long s = System.nanoTime();
                HttpResponse<String> r = client.push(p, Map.of(), n -> { });
                latencies.add(System.nanoTime() - s);
                statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                ids.add(r.body().replaceAll(".*\"install_id\":\"([^\"]+)\".*\\s*", "$1"));
                if (r.headers().firstValue("Idempotent-Replay").isPresent()) {
                    replays.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        long wall = System.nanoTime() - t0;
        pool.shutdown();
        Collections.sort(latencies);
        System.out.printf("push burst: 1000 pushes of 200 distinct 64 KiB bundles at concurrency 50 in %.2f s%n",
                wall / 1e9);
        System.out.println("statuses " + statuses + "; distinct install ids " + ids.size() + "; placed in inbox "
                + placed.get() + "; answered idempotently " + replays.get());
        System.out.printf("latency p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", latencies.get(500) / 1e6,
                latencies.get(950) / 1e6, latencies.get(999) / 1e6);
    }

    private static void load(URI base, String path, Duration length) throws Exception {
        ApiClient client = new ApiClient(base, "fleet", SECRET);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + length.toNanos();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            done.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    int code = path.equals("/healthz")
                            ? http.send(java.net.http.HttpRequest.newBuilder(base.resolve(path)).build(),
                                    HttpResponse.BodyHandlers.ofString()).statusCode()
                            : client.send("GET", path, new byte[0], Map.of()).statusCode();
                    latencies.add(System.nanoTime() - s);
                    if (code != 200) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        Collections.sort(latencies);
        int n = latencies.size();
        System.out.printf("%s: %d requests in %d s at concurrency 16: %.0f req/s, p50 %.2f ms, p95 %.2f ms, non-200 %d%n",
                path, n, length.toSeconds(), n / (double) length.toSeconds(), latencies.get(n / 2) / 1e6,
                latencies.get(n * 95 / 100) / 1e6, errors.get());
    }
}
