/**
 * The device rigs that run a scenario: the agent configuration a scenario becomes, the tier-2 rig
 * (the agent JVM, fake-service processes, the Guardian process, the power controller, the fake
 * watchdog device, the fleet's and a hostile client's traffic to the agent's API, on loopback only) and
 * what a run leaves behind for grading. Depends on the scenario model and the
 * agent's public API; must not grade anything (that is {@code grading}'s job, from the agent's files).
 */
package io.waveos.hil.rig;
