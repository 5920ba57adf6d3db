package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void groupsEachFamilyUnderOneHelpAndTypeWithEscapedLabels() {
        String text = new PrometheusText()
                .gauge("waveos_service_up", "1 when running", Map.of("service", "web"), 1)
                .counter("waveos_events_total", "events", Map.of("code", "a\"b"), 3)
                .gauge("waveos_service_up", "1 when running", Map.of("service", "db"), 0)
                .text();
        assertEquals("# HELP waveos_events_total events\n# TYPE waveos_events_total counter\n"
                + "waveos_events_total{code=\"a\\\"b\"} 3\n"
                + "# HELP waveos_service_up 1 when running\n# TYPE waveos_service_up gauge\n"
                + "waveos_service_up{service=\"web\"} 1\nwaveos_service_up{service=\"db\"} 0\n", text);
    }

    @Test
    void turnsSampleValuesIntoGaugesWithSanitisedNames() {
        Sample s = new Sample(Instant.EPOCH, 0, Map.of(MetricKey.service("web", "rss_bytes"), 1.5e6,
                MetricKey.agent("restarts_total"), 2.0));
        String text = new PrometheusText().sample(Optional.of(s)).text();
        assertEquals(true, text.contains("waveos_service_rss_bytes{subject=\"web\"} 1500000\n"), text);
        assertEquals(true, text.contains("# TYPE waveos_agent_restarts_total_value gauge\n"), text);
    }

    @Test
    void passesPromtoolCheckMetricsWhenInstalled() throws Exception {
        java.nio.file.Path tool = java.util.stream.Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool")
                .map(java.nio.file.Path::of).filter(java.nio.file.Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(tool != null,
                "promtool is not installed (Debian package prometheus): skipping promtool check metrics");
        Sample s = new Sample(Instant.EPOCH, 0, Map.of(MetricKey.service("web", "rss_bytes"), 1.5e6,
                MetricKey.system("load1"), 0.25, MetricKey.agent("restarts_total"), 2.0));
        String text = new PrometheusText().sample(Optional.of(s))
                .gauge("waveos_mode", "1 for the agent's current mode", Map.of("mode", "NORMAL"), 1)
                .counter("waveos_events_total", "events by code", Map.of("code", "update.committed"), 1)
                .counter("waveos_api_responses_total", "answers", Map.of("status", "200"), 7).text();
        Process p = new ProcessBuilder(tool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        assertEquals(0, p.exitValue(), out + "\n" + text);
    }

    @Test
    void refusesACounterNotEndingInTotal() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().counter("x", "h", Map.of(), 1));
    }
}
