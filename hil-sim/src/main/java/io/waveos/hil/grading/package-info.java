/**
 * Grading: reads what the agent really did (the {@code events.jsonl}, {@code run_meta.json} and
 * {@code metrics.csv} of every agent run, its signed evidence packs, its log spool, its API's audit log
 * and push ledger, and the process table the rig read at the end) and decides each expectation, and the
 * key figures (restart latency, availability, runs, packs, policy decisions, spool drops, API decisions).
 * Never reads the scenario's fault timeline as evidence (the bench's clock steps only calibrate wall
 * stamps). Depends on the scenario model, the rig's run record and the agent's own readers (event-chain
 * and evidence-pack verifiers, spool reader, push ledger).
 */
package io.waveos.hil.grading;
