/**
 * {@code ./waveos demo}: runs the real agent, as a separate JVM, on the example services in
 * {@code examples/demo}, kills it with SIGKILL half way to show crash-only recovery, stops it with
 * SIGTERM at the end, and reports what the events files say. A host-side tool: it starts and signals
 * only the agent processes it launched itself.
 */
package io.waveos.hil.demo;
