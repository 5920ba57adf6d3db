package io.waveos.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the API asks of the agent. Every answer that reads or changes the agent's state is computed on
 * the agent's loop: these methods submit work to it and return at once; the router waits for the
 * answer with a timeout.
 */
public interface ApiService {
    /** Completes when the loop ran a no-op (liveness). */
    CompletableFuture<Boolean> ping();

    /** Readiness: ready, and why not. */
    CompletableFuture<Readiness> readiness();

    /** The {@code /v1/status} document. */
    CompletableFuture<Map<String, Object>> status();

    /** The Prometheus text exposition. */
    CompletableFuture<String> metrics();

    /** Recent events with sequence numbers above {@code since}, at most {@code limit}. */
    CompletableFuture<List<Map<String, Object>>> events(long since, int limit);

    /** Restarts a service through its restart ladder; completes with false when no such service. */
    CompletableFuture<Boolean> restart(String service, String operator);

    /** Exports an evidence pack; completes with the control-socket style answer ("ok ..." or "error ..."). */
    CompletableFuture<String> exportEvidence(String operator);

    /** Records a flag override as an event. */
    void flagsOverridden(Map<String, String> changes, String operator);

    /**
     * Writes a pushed bundle into the inbox: a hidden temporary file, fsynced, then renamed in whole.
     * The file is named {@link PushLedger#fileName}. The stream raises {@link ApiFailure} when the body is too large,
     * too slow or not the signed one; nothing is left in the inbox then.
     */
    void placeBundle(InputStream body, String installId) throws IOException;

    /** Readiness and its reason. */
    record Readiness(boolean ready, String reason) {
    }
}
