/**
 * The operator's {@code waveos bundle ...} tools: key generation, trust roots and their rotation,
 * building, signing, verifying and inspecting bundles ({@code docs/updates.md}, "Tools reference").
 * Each command group is one class; {@link io.waveos.agent.update.tool.BundleTool} parses the command
 * line and maps every outcome to one exit status (0 ok, 1 I/O failure, 2 bad usage or input, 3 refused
 * with a {@link io.waveos.bundles.BundleError} code).
 *
 * <p>This package is an outer edge, like {@code platform.linux}: it reads and writes the operator's
 * files directly with {@code java.nio.file} and takes the wall clock from its {@link
 * io.waveos.agent.update.tool.Invocation}. All bundle rules come from the {@code bundles} library;
 * nothing here re-implements a check. Must not depend on the agent's runtime packages (supervision,
 * mode, telemetry, companion): the tools run on an operator's machine, not only on a device.
 */
package io.waveos.agent.update.tool;
