/**
 * The power-safe A/B slot installer: slots per component, the install journal and slot marks in one
 * atomically replaced {@code state.json}, the anti-rollback floors, recovery after a power cut, and
 * the pure {@link io.waveos.bundles.install.TrialJudge} that decides a trial. All storage goes through
 * {@link io.waveos.bundles.platform.SlotStorage}; no threads, no clocks (the caller measures the soak).
 * May depend on {@code manifest}, {@code platform}, {@code json} and the {@code verify.PayloadSink}
 * contract; must not depend on the agent. The layout and the order of steps are in
 * {@code docs/updates.md}, "Install and slots".
 */
package io.waveos.bundles.install;
