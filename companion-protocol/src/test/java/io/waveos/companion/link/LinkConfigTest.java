package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkConfigTest {

    @Test
    void defaultsAreOneSecondBeatsLostAfterThreeMisses() {
        LinkConfig d = LinkConfig.DEFAULTS;

        assertEquals(Duration.ofSeconds(1), d.heartbeatPeriod());
        assertEquals(3, d.missesBeforeLost());
        assertEquals(Duration.ofMillis(250), d.retransmitInterval());
        assertEquals(Duration.ofSeconds(5), d.requestTimeout());
        assertEquals(Duration.ofMillis(500), d.helloRetryInterval());
        assertEquals(8, d.maxOutstandingRequests());
        assertEquals(64, d.maxRememberedRequests());
        assertEquals(Duration.ofSeconds(3), d.lossTimeout());
    }

    @Test
    void rejectsValuesOutsideTheirRangeNamingTheKey() {
        assertEquals("link.heartbeat_period: expected a duration above 0 and at most PT1H, was PT0S",
                assertThrows(IllegalArgumentException.class,
                        () -> LinkConfig.DEFAULTS.withHeartbeatPeriod(Duration.ZERO)).getMessage());
        assertEquals("link.misses_before_lost: expected 1..1000, was 0", assertThrows(IllegalArgumentException.class,
                () -> LinkConfig.DEFAULTS.withMissesBeforeLost(0)).getMessage());
        assertEquals("link.max_outstanding_requests: expected 1..1024, was 5000",
                assertThrows(IllegalArgumentException.class,
                        () -> LinkConfig.DEFAULTS.withMaxOutstandingRequests(5000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinkConfig.DEFAULTS.withMaxRememberedRequests(0));
        assertThrows(IllegalArgumentException.class,
                () -> LinkConfig.DEFAULTS.withHelloRetryInterval(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> LinkConfig.DEFAULTS.withRequestTimeout(Duration.ofHours(2)));
        assertThrows(NullPointerException.class, () -> LinkConfig.DEFAULTS.withRetransmitInterval(null));
    }

    @Test
    void retransmitIntervalMayNotExceedTheRequestTimeout() {
        assertEquals("link.retransmit_interval: expected at most request_timeout (PT1S), was PT2S",
                assertThrows(IllegalArgumentException.class, () -> LinkConfig.DEFAULTS
                        .withRequestTimeout(Duration.ofSeconds(1)).withRetransmitInterval(Duration.ofSeconds(2)))
                        .getMessage());
    }
}
