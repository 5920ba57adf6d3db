package io.waveos.companion.frame;

/** The two ends of a companion link. Each direction has its own key and its own counter. */
public enum Endpoint {
    DEVICE,
    GUARDIAN
}
