package io.waveos.bundles.verify;

import io.waveos.bundles.manifest.PayloadFile;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where verified payload bytes go while they stream: the installer's target slot, or nowhere for a
 * plain {@code verify}. The verifier calls {@link #open} once per listed file, in archive order, writes
 * exactly the member's bytes (never more than {@link PayloadFile#size()}), closes the stream, and then
 * calls {@link #completed} only when the size and SHA-256 matched. Bytes reach the sink before their
 * hash is known: a sink must write only where a failed verification leaves no harm (a slot marked bad).
 */
public interface PayloadSink {

    OutputStream open(PayloadFile file) throws IOException;

    /** The file's bytes matched the manifest. */
    default void completed(PayloadFile file) throws IOException {
    }

    /** A sink that discards everything: verification only. */
    static PayloadSink discard() {
        return file -> OutputStream.nullOutputStream();
    }
}
