/**
 * The companion link: the state machine above the frames that turns a byte stream into a session
 * between the device and its Guardian (normative rules: {@code docs/companion-protocol.md}, section 11).
 *
 * <p>Owns the Hello/HelloAck handshake and peer-reset detection, sequence numbers and acks, the
 * periodic beats (heartbeats from the device, time witnesses from the Guardian) and loss detection,
 * request retransmission and timeouts, idempotent answering of repeated requests, and the link's
 * counters. {@link io.waveos.companion.link.LinkSession} is the one entry point; its state changes are
 * the pure table in {@code LinkTransitions}.
 *
 * <p>Pure: no threads, no clocks, no I/O. The owner (the agent's event loop, the Guardian's loop) passes
 * the monotonic time into every call, feeds received bytes in, and performs the returned
 * {@link io.waveos.companion.link.LinkOutput}s in order. Every table is bounded by
 * {@link io.waveos.companion.link.LinkConfig}. Depends on {@code io.waveos.companion.frame} and the
 * generated schema; must not depend on transports, the Guardian, the agent or the simulator.
 */
package io.waveos.companion.link;
