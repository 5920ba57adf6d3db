/**
 * The local HTTP API's rules, free of I/O: request signing and verification (HMAC-SHA256), the
 * replay cache, token buckets, routing to the agent's answers, the Prometheus text, feature flags and
 * the ledger of pushed bundles. The HTTP transport lives in {@code platform.linux.ApiHttpServer}.
 *
 * <p>Depends on {@code config} and {@code telemetry} value types and {@code update.ActiveSlots} (flags
 * and keys carried by bundles); must not depend on the agent's loop
 * state: answers that need it come through {@link io.waveos.agent.api.ApiService}.
 */
package io.waveos.agent.api;
