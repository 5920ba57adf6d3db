/**
 * The agent's configuration ({@code agent.yaml}): immutable records validated in their constructors,
 * and the strict loader that builds them from YAML with errors naming file, line, key path and what
 * was expected.
 *
 * <p>Depends only on {@code platform} value types (signals). Must not depend on capabilities.
 */
package io.waveos.agent.config;
