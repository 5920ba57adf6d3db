package io.waveos.agent;

import io.waveos.agent.platform.linux.ApiClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code waveos push BUNDLE --to URL --key-id ID --key FILE [--idempotency-key K]},
 * {@code waveos status --to URL ...} and {@code waveos flags get|set NAME=VALUE --to URL ...}: clients of
 * the local API (docs/api.md). The key file holds the secret on its first line.
 */
final class ApiCli {
    private ApiCli() {
    }

    /** True when {@code args} address the API (they name {@code --to}). */
    static boolean wantsApi(String[] args) {
        return java.util.Arrays.asList(args).contains("--to");
    }

    static int run(String command, String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Map<String, String> opts = new HashMap<>();
        java.util.List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println("waveos " + command + ": " + args[i] + " needs a value");
                    return 2;
                }
                opts.put(args[i], args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        Optional<String> to = Optional.ofNullable(opts.get("--to"));
        Optional<String> keyId = Optional.ofNullable(opts.get("--key-id"));
        Optional<String> keyFile = Optional.ofNullable(opts.get("--key"));
        if (to.isEmpty() || keyId.isEmpty() || keyFile.isEmpty()) {
            err.println("waveos " + command + ": --to URL, --key-id ID and --key FILE are required");
            return 2;
        }
        try {
            String secret = Files.readAllLines(Path.of(keyFile.get()), StandardCharsets.UTF_8).get(0).trim();
            ApiClient client = new ApiClient(URI.create(to.get()), keyId.get(), secret);
            HttpResponse<String> r = switch (command) {
                case "status" -> client.send("GET", "/v1/status", new byte[0], Map.of());
                case "push" -> push(client, positional, opts, err);
                case "flags" -> flags(client, positional);
                default -> throw new IllegalArgumentException("unknown command " + command);
            };
            out.println(r.body().trim());
            return r.statusCode() / 100 == 2 ? 0 : 1;
        } catch (IOException | IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println("waveos " + command + ": " + e.getMessage());
            return e instanceof IOException ? 1 : 2;
        }
    }

    private static HttpResponse<String> push(ApiClient client, java.util.List<String> positional,
            Map<String, String> opts, PrintStream err) throws IOException, InterruptedException {
        if (positional.size() != 1) {
            throw new IllegalArgumentException("push needs exactly one BUNDLE file");
        }
        Path bundle = Path.of(positional.get(0));
        long size = Files.size(bundle);
        Map<String, String> extra = new HashMap<>();
        Optional.ofNullable(opts.get("--idempotency-key")).ifPresent(k -> extra.put("Idempotency-Key", k));
        int[] shown = {-1};
        HttpResponse<String> r = client.push(bundle, extra, sent -> {
            int pct = size == 0 ? 100 : (int) (sent * 100 / size);
            if (pct != shown[0]) {
                shown[0] = pct;
                err.print("\r[" + "#".repeat(pct / 5) + " ".repeat(20 - pct / 5) + "] " + pct + "% " + sent + "/" + size);
            }
        });
        err.println();
        return r;
    }

    private static HttpResponse<String> flags(ApiClient client, java.util.List<String> positional)
            throws IOException, InterruptedException {
        if (positional.isEmpty() || positional.get(0).equals("get")) {
            return client.send("GET", "/v1/config/flags", new byte[0], Map.of());
        }
        if (!positional.get(0).equals("set") || positional.size() < 2) {
            throw new IllegalArgumentException("flags get | flags set NAME=VALUE...");
        }
        Map<String, Object> changes = new java.util.LinkedHashMap<>();
        for (String kv : positional.subList(1, positional.size())) {
            String[] p = kv.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("expected NAME=VALUE, got " + kv);
            }
            changes.put(p[0], p[1]);
        }
        return client.send("PUT", "/v1/config/flags",
                io.waveos.bundles.json.Json.write(changes).getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
