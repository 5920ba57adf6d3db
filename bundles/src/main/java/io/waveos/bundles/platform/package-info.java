/**
 * Ports of the bundles library: {@link io.waveos.bundles.platform.SlotStorage}. The Linux adapter is
 * the agent's ({@code io.waveos.agent.platform.linux.LinuxSlotStorage}); the crash-simulating twin is
 * in this module's test jar. Must not depend on any other package of the module.
 */
package io.waveos.bundles.platform;
