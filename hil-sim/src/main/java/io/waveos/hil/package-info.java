/**
 * Hardware-in-the-loop simulator: runs the real agent against fakes, fault injection and scenarios.
 *
 * <p>Depends on every other module; nothing depends on it. The simulator lands with issue #8; until
 * then {@code ./waveos demo} runs the real agent on an example configuration.
 */
package io.waveos.hil;
