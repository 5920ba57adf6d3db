/**
 * Linux adapters for the ports in {@code platform}: the only code that touches processes, files,
 * /proc, sysfs, sockets, devices and real time. Must not depend on capability packages.
 */
package io.waveos.agent.platform.linux;
