package io.waveos.bundles.verify;

/** Reports payload bytes verified so far, for the tools' progress display. Called on the verifying thread. */
@FunctionalInterface
public interface Progress {

    /**
     * @param bytesDone payload bytes hashed so far
     * @param bytesTotal the sum of the manifest's declared sizes
     */
    void advanced(long bytesDone, long bytesTotal);

    /** Reports nothing. */
    static Progress none() {
        return (done, total) -> { };
    }
}
