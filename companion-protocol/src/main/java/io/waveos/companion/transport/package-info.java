/**
 * Byte-stream transports for the Guardian companion link: the {@link
 * io.waveos.companion.transport.ByteTransport} port and its adapters (serial through jSerialComm, TCP,
 * and the in-memory {@link io.waveos.companion.transport.PipeTransport} with fault injection that runs
 * in virtual time).
 *
 * <p>Transports move bytes and nothing else: they know nothing about frames, sequence numbers or
 * keys. The frame codec ({@code io.waveos.companion.frame}) and the link sit above this package; this
 * package must not depend on them, on the agent, or on the simulator.
 *
 * <p>This is the one place in this otherwise pure library that does device and network I/O and owns
 * threads: each real transport has exactly one reader thread per open connection, created here. The
 * pipe has none and is driven by its caller.
 */
package io.waveos.companion.transport;
