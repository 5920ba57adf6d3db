/**
 * Guardian companion protocol (issue #4): the normative schema ({@code src/main/proto}), the frame
 * codec and link authentication ({@code frame}), byte transports ({@code transport}), the link state
 * machine ({@code link}) and the reference Guardian ({@code guardian}).
 *
 * <p>{@code frame} and {@code link} are pure: no threads, no I/O (storage through the
 * {@code CounterStore} port). {@code transport} and the Guardian's composition root are the only
 * places with threads and devices. Nothing here depends on the agent or the simulator.
 */
package io.waveos.companion;
