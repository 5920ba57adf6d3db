package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricKeyTest {
    @Test
    void wireFormRoundTripsForEveryScopeIncludingDottedServiceNames() {
        for (MetricKey k : new MetricKey[] {MetricKey.system("cpu_permille"), MetricKey.service("modem.v2", "rss_bytes"),
                MetricKey.agent("heap_used_bytes"), new MetricKey(Scope.SYSTEM, "eth0", "net_rx_bytes")}) {
            assertEquals(k, MetricKey.parse(k.wire()));
        }
        assertEquals("service:modem.v2:rss_bytes", MetricKey.service("modem.v2", "rss_bytes").wire());
        assertEquals("system::load1", MetricKey.system("load1").wire());
    }

    @Test
    void malformedKeysAreRefusedNamingTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("cpu"));
        assertTrue(e.getMessage().contains("'cpu'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("host::cpu"));
        assertTrue(e.getMessage().contains("'host'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("system::CPU"));
        assertThrows(IllegalArgumentException.class, () -> MetricKey.parse("service:a b:rss_bytes"));
    }

    @Test
    void sampleRefusesNonFiniteValuesAndKeepsOrder() {
        Map<MetricKey, Double> v = new LinkedHashMap<>();
        v.put(MetricKey.system("b"), 1.0);
        v.put(MetricKey.system("a"), 2.0);
        Sample s = new Sample(Instant.EPOCH, 5, v);
        assertEquals(MetricKey.system("b"), s.values().keySet().iterator().next());
        assertEquals(2.0, s.get(MetricKey.system("a")).orElseThrow());
        assertTrue(s.get(MetricKey.system("c")).isEmpty());
        v.put(MetricKey.system("nan"), Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> new Sample(Instant.EPOCH, 5, v));
    }
}
