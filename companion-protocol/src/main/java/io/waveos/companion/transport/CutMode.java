package io.waveos.companion.transport;

/** How a {@link PipeTransport} link fails when it is cut. */
public enum CutMode {
    /** The link goes dead visibly: both ends get {@code onClosed}, in-flight bytes are lost, sends fail. */
    CLOSE,
    /** Bytes vanish silently (a broken wire): the ends stay open and sends succeed; nothing arrives. */
    SILENT
}
