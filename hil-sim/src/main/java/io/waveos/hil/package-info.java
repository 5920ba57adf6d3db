/**
 * Hardware-in-the-loop simulator (docs/hil.md): scenario files, the fake service, tier 1 (the real
 * agent in virtual time on its twins) and tier 2 (real processes, the Guardian's own JVM, power cuts),
 * grading from the agent's own records, the report, and {@code waveos hil} / {@code waveos demo}.
 *
 * <p>Depends on every other module (and on the agent's test-jar for its deterministic twins); nothing
 * depends on it.
 */
package io.waveos.hil;
