package io.waveos.hil.rig;

import io.waveos.agent.api.RequestSigning;
import io.waveos.agent.platform.linux.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A hostile client of a device's local API, on loopback only, for a bounded time at a bounded rate
 * (the {@code api-abuse} fault). In turn: an unsigned request, a request signed with a wrong secret, a
 * replay of a request it captured (same nonce), a signed push claiming a body of 1 TiB, and a signed
 * push whose body trickles in and stalls (a slow body; at most {@value #SLOW_AT_ONCE} open at once, each
 * left to the agent's request deadline). The signed part uses the intruder's own key
 * ({@link ApiAccess#INTRUDER}), so it spends that key's budget, not the fleet's.
 *
 * <p>Runs on its own thread; what it saw (answers by status, slow bodies cut) is only for the progress
 * line: grading reads the agent's audit log. {@link #close} stops it and closes every socket it holds.
 */
final class ApiAbuse implements Runnable, AutoCloseable {
    static final int SLOW_AT_ONCE = 2;
    private static final long TIB = 1L << 40;
    private final ApiAccess access;
    private final long untilNanos;
    private final long periodNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ApiClient intruder;
    private final Map<String, Long> seen = new TreeMap<>();
    private final List<Socket> slow = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean finished;
    private Map<String, String> captured = Map.of();

    ApiAbuse(ApiAccess access, Duration length, int ratePerSecond) {
        this.access = access;
        this.untilNanos = System.nanoTime() + length.toNanos();
        this.periodNanos = 1_000_000_000L / ratePerSecond;
        ApiAccess.Key k = access.key(ApiAccess.INTRUDER);
        this.intruder = new ApiClient(access.base(), k.id(), k.secret());
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        for (int i = 0; !closed && System.nanoTime() < untilNanos; i++) {
            String what;
            try {
                what = switch (i % 5) {
                    case 0 -> status(http.send(HttpRequest.newBuilder(access.base().resolve("/v1/status"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()));
                    case 1 -> badSignature();
                    case 2 -> replay();
                    case 3 -> oversized();
                    default -> slowBody();
                };
            } catch (IOException e) {
                what = "no answer (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            count(what);
            next += periodNanos;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        finished = true;
    }

    /** Whether its time is over (or it was closed). */
    boolean finished() {
        return finished;
    }

    /** What the agent answered, by status ({@code 401: 120, 413: 30, ...}), and the slow bodies' fate. */
    synchronized String summary() {
        return seen.toString().replaceAll("[{}]", "").replace("=", ": ");
    }

    private synchronized void count(String what) {
        seen.merge(what, 1L, Long::sum);
    }

    private static String status(HttpResponse<?> r) {
        return Integer.toString(r.statusCode());
    }

    private String badSignature() throws IOException, InterruptedException {
        ApiClient forger = new ApiClient(access.base(), ApiAccess.FLEET, "not-the-secret-0123456789");
        HttpRequest.Builder b = HttpRequest.newBuilder(access.base().resolve("/v1/status")).timeout(Duration.ofSeconds(5));
        forger.sign("GET", "/v1/status", RequestSigning.EMPTY_SHA256, System.currentTimeMillis() / 1000,
                forger.nonce()).forEach(b::header);
        return status(http.send(b.build(), HttpResponse.BodyHandlers.discarding()));
    }

    /** The first call captures a correctly signed request (answered); every later one replays it. */
    private String replay() throws IOException, InterruptedException {
        if (captured.isEmpty()) {
            captured = intruder.sign("GET", "/v1/status", RequestSigning.EMPTY_SHA256,
                    System.currentTimeMillis() / 1000, intruder.nonce());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(access.base().resolve("/v1/status")).timeout(Duration.ofSeconds(5));
        captured.forEach(b::header);
        return status(http.send(b.build(), HttpResponse.BodyHandlers.discarding()));
    }

    private String oversized() throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(signedPost(TIB).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return statusLine(s.getInputStream());
        }
    }

    /** Opens a slow body on its own short-lived thread, unless {@value #SLOW_AT_ONCE} are open. */
    private String slowBody() throws IOException {
        Socket s;
        synchronized (this) {
            if (slow.size() >= SLOW_AT_ONCE || closed) {
                return "slow body skipped (" + SLOW_AT_ONCE + " open)";
            }
            s = connect();
            slow.add(s);
        }
        Thread t = new Thread(() -> hold(s), "hil-api-slow-body");
        t.setDaemon(true);
        t.start();
        return "slow body opened";
    }

    /** Sends the headers and 16 of 4096 body bytes, then waits for the agent to give up on it. */
    private void hold(Socket s) {
        long t0 = System.nanoTime();
        try (s) {
            s.setSoTimeout((int) Math.max(1, Math.min(30_000, (untilNanos - t0) / 1_000_000 + 1000)));
            OutputStream out = s.getOutputStream();
            out.write(signedPost(4096).getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[16]);
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the agent's answer, if any, until it closes the connection
                continue;
            }
            count("slow body cut by the agent");
        } catch (SocketTimeoutException e) {
            count("slow body still open at the end");
        } catch (IOException e) {
            count(closed ? "slow body closed by the rig" : "slow body cut by the agent");
        } finally {
            synchronized (this) {
                slow.remove(s);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), access.port()), 2000);
        return s;
    }

    /** A push's request head, signed by the intruder for a body it will not send whole. */
    private String signedPost(long contentLength) {
        byte[] fake = new byte[16];
        new java.security.SecureRandom().nextBytes(fake);
        String sha = HexFormat.of().formatHex(RequestSigning.sha256().digest(fake));
        StringBuilder b = new StringBuilder("POST /v1/bundles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + contentLength + "\r\nConnection: close\r\n");
        intruder.sign("POST", "/v1/bundles", sha, System.currentTimeMillis() / 1000, intruder.nonce())
                .forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        return b.append("\r\n").toString();
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\r' && b.length() < 200; c = in.read()) {
            b.append((char) c);
        }
        String[] p = b.toString().split(" ");
        return p.length > 1 ? p[1] : "no status line";
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            for (Socket s : List.copyOf(slow)) {
                try {
                    s.close();
                } catch (IOException e) {
                    count("slow body close failed: " + e.getMessage());
                }
            }
        }
    }
}
