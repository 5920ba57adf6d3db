/**
 * Deterministic twins of the platform ports: virtual time you advance, an in-memory process table,
 * storage that can lose power, a synchronous event loop. Used by the agent's tests and reused by the
 * simulator (hil-sim depends on the agent's test jar). Must not depend on Linux adapters.
 */
package io.waveos.agent.platform.fake;
