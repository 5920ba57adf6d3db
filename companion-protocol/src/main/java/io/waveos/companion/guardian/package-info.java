/**
 * The reference Guardian: the second board that keeps the device honest ({@code docs/guardian.md}).
 *
 * <p>Owns the Guardian's decisions and its own state:
 * <ul>
 *   <li>{@link io.waveos.companion.guardian.HeartbeatWatchdog}: resets the device when heartbeats stop
 *       or report a stuck loop, with a boot grace and a rate limit against reset storms;
 *   <li>{@link io.waveos.companion.guardian.CommandGate}: approves or denies command requests, each
 *       decision naming its rule;
 *   <li>{@link io.waveos.companion.guardian.TrendDetector}: orders safe mode before a metric crosses
 *       its limit;
 *   <li>{@link io.waveos.companion.guardian.Guardian}: the pure core that combines them into actions;
 *   <li>{@link io.waveos.companion.guardian.GuardianLog} and
 *       {@link io.waveos.companion.guardian.GuardianState}: its log and the witnesses and counters that
 *       survive its own restarts, in its own folder.
 * </ul>
 *
 * <p>The decisions are pure: no threads, clocks, files or pins; they are driven by delivered envelopes
 * and the monotonic time. Side effects go through ports: {@link io.waveos.companion.guardian.ResetLine}
 * (GPIO), {@link io.waveos.companion.guardian.StateFolder} (storage),
 * {@link io.waveos.companion.guardian.Scheduler}, {@link io.waveos.companion.guardian.WallClock}. Their
 * adapters ({@link io.waveos.companion.guardian.Pi4jResetLine},
 * {@link io.waveos.companion.guardian.DirectoryStateFolder},
 * {@link io.waveos.companion.guardian.ExecutorScheduler}) and the program's composition root
 * ({@link io.waveos.companion.guardian.GuardianMain} with its loop) are the only classes here that do
 * I/O or own threads; {@link io.waveos.companion.guardian.GuardianRuntime} is the thin single-threaded
 * executor between the link, the core and the ports.
 *
 * <p>May depend on the frame codec, the link, the transports and the generated schema. Must not depend
 * on the agent or the simulator; nothing in this module depends on it.
 */
package io.waveos.companion.guardian;
