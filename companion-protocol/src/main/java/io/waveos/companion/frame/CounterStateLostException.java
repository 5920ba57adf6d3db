package io.waveos.companion.frame;

import java.io.IOException;

/**
 * The counter store was written before but neither slot is readable, so the next safe counter is
 * unknown. Restarting from 1 could repeat counters under the same key; the link stays down until it
 * is re-keyed (see {@code docs/companion-protocol.md}, "Counters").
 */
public final class CounterStateLostException extends IOException {

    private static final long serialVersionUID = 1L;

    public CounterStateLostException(String message) {
        super(message);
    }
}
