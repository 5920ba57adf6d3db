package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestSigningTest {
    @Test
    void theWorkedExampleInDocsApiMdIsWhatTheCodeComputes() {
        String canonical = RequestSigning.canonical("GET", "/v1/events?since=42", 1795000000L,
                "0123456789abcdef01234567", RequestSigning.EMPTY_SHA256);
        assertEquals("WAVEOS-HMAC-SHA256\nGET\n/v1/events?since=42\n1795000000\n0123456789abcdef01234567\n"
                + RequestSigning.EMPTY_SHA256, canonical);
        assertEquals("dac13de9056388e2a21855326e04682e3f274605bf7acc4f6307b3256e4616b6",
                RequestSigning.sign("example-secret-0123456789", canonical));
    }
}
