/**
 * The strict JSON codec shared by bundle manifests, DSSE envelopes, trust roots and the agent's own
 * files (events, run metadata, state). It lives in this module because bundles are the lowest layer
 * that needs it and the agent depends on bundles; it must not depend on anything but the JDK.
 */
package io.waveos.bundles.json;
