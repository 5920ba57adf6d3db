/**
 * Frames of the companion link: the bytes between the device and the Guardian.
 *
 * <p>Owns the wire format defined in {@code docs/companion-protocol.md}: COBS framing with 0x00
 * delimiters ({@link io.waveos.companion.frame.Cobs}), the header byte, the optional authentication
 * section (key id, 64-bit counter, truncated HMAC-SHA256 tag), the CRC-32 trailer
 * ({@link io.waveos.companion.frame.FrameEncoder}, {@link io.waveos.companion.frame.FrameDecoder}),
 * the send counters that never repeat ({@link io.waveos.companion.frame.CounterReservation} over the
 * {@link io.waveos.companion.frame.CounterStore} port) and the protobuf payload
 * ({@link io.waveos.companion.frame.EnvelopeCodec}).
 *
 * <p>Pure: no threads, no clocks, no I/O except through {@link io.waveos.companion.frame.CounterStore}.
 * Every codec is bounded by {@link io.waveos.companion.frame.FrameLimits}. Instances are not
 * thread-safe; each is confined to the thread that owns the link. Must not depend on transports, the
 * link state machine, the Guardian, the agent or the simulator.
 */
package io.waveos.companion.frame;
