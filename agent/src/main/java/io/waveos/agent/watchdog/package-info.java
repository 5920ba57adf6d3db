/**
 * watchdog: hardware watchdog and systemd watchdog integration, reset-reason capture; depends on
 * platform and telemetry.
 *
 * <p>The {@link io.waveos.agent.watchdog.RunLedger} keeps what each run records about itself in the
 * STATE directory, and the {@link io.waveos.agent.watchdog.ResetClassifier} turns what the previous
 * run left behind into a {@link io.waveos.agent.watchdog.ResetReason}. The
 * {@link io.waveos.agent.watchdog.WatchdogKicker} feeds the hardware and systemd watchdogs from the
 * loop and disarms the hardware one on a clean shutdown. Must not depend on supervision
 * or mode.
 */
package io.waveos.agent.watchdog;
