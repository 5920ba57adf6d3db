/**
 * The fake-service program: a real process the agent supervises, told by its command line and by a
 * control file to crash, hang, leak memory, spin, flood, corrupt its output or exit. Depends on the
 * JDK only (it starts in a small JVM of its own); nothing else may depend on its internals.
 */
package io.waveos.hil.service;
