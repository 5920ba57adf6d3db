/**
 * Grading: reads what the agent really did (the {@code events.jsonl} and {@code run_meta.json} of every
 * agent run, and the process table the rig read at the end) and decides each expectation, and the key
 * figures (restart latency, availability, runs). Never reads the scenario's fault timeline as evidence.
 * Depends on the scenario model, the rig's run record and the agent's event-chain verifier.
 */
package io.waveos.hil.grading;
