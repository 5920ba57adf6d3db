package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompanionConfigTest {
    private static final String BASE = "schema_version: 1\ndevice_id: d\nservices:\n  - name: a\n    command: [/bin/true]\n";

    private static AgentConfig parse(String companion) throws ConfigException {
        return new ConfigLoader().parse("agent.yaml", BASE + companion);
    }

    @Test
    void noCompanionSectionMeansNoGuardian() throws Exception {
        assertEquals(Optional.empty(), parse("").companion());
    }

    @Test
    void readsASerialGuardianWithDefaults() throws Exception {
        CompanionConfig c = parse("companion:\n  serial: {device: /dev/ttyS1}\n").companion().orElseThrow();
        assertEquals(Optional.of(Path.of("/dev/ttyS1")), c.serialDevice());
        assertEquals(115_200, c.baud());
        assertEquals(Duration.ofSeconds(1), c.heartbeat());
        assertEquals(3, c.misses());
        assertEquals(CompanionConfig.Unavailable.DENY, c.whenUnavailable().get(CompanionConfig.Approval.INSTALL));
        assertEquals(CompanionConfig.Unavailable.ALLOW, c.whenUnavailable().get(CompanionConfig.Approval.REBOOT));
    }

    @Test
    void readsATcpGuardianWithKeyAndPolicy() throws Exception {
        CompanionConfig c = parse("companion:\n  tcp: \"127.0.0.1:7700\"\n  key_file: /etc/waveos/trust/link.keys\n"
                + "  tag_bytes: 12\n  when_unavailable: {reboot: deny}\n").companion().orElseThrow();
        assertEquals(Optional.of("127.0.0.1"), c.tcpHost());
        assertEquals(7700, c.tcpPort());
        assertEquals(12, c.tagBytes());
        assertEquals(CompanionConfig.Unavailable.DENY, c.whenUnavailable().get(CompanionConfig.Approval.REBOOT));
        assertEquals(CompanionConfig.Unavailable.ALLOW,
                c.whenUnavailable().get(CompanionConfig.Approval.SAFE_MODE_EXIT));
    }

    @Test
    void rejectsTwoTransportsWithTheLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("companion:\n  serial: {device: /dev/ttyS1}\n  tcp: \"127.0.0.1:1\"\n"));
        assertTrue(e.getMessage().contains("agent.yaml:7: companion: expected exactly one transport"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownUnavailablePolicyWithTheKeyPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("companion:\n  tcp: \"127.0.0.1:1\"\n  when_unavailable: {reboot: maybe}\n"));
        assertTrue(e.getMessage().contains("companion.when_unavailable.reboot"), e.getMessage());
    }

    @Test
    void rejectsATagLengthOutsideEightToThirtyTwo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("companion:\n  tcp: \"127.0.0.1:1\"\n  tag_bytes: 4\n"));
        assertTrue(e.getMessage().contains("tag_bytes must be in 8..32"), e.getMessage());
    }

    @Test
    void readsTheSafeModeLineWithActiveLowByDefault() throws Exception {
        CompanionConfig c = parse("companion:\n  tcp: \"127.0.0.1:1\"\n  safe_mode_line: {provider: gpiod, pin: 27}\n")
                .companion().orElseThrow();
        assertEquals(Optional.of(new SafeModeLineConfig(SafeModeLineConfig.Provider.GPIOD, 27, true)),
                c.safeModeLine());
        assertEquals(Optional.empty(), parse("companion:\n  tcp: \"127.0.0.1:1\"\n").companion().orElseThrow()
                .safeModeLine(), "absent: not wired");
    }

    @Test
    void rejectsABadSafeModeLineWithFileLineAndKeyPath() {
        ConfigException pin = assertThrows(ConfigException.class, () -> parse(
                "companion:\n  tcp: \"127.0.0.1:1\"\n  safe_mode_line: {provider: mock, pin: 64}\n"));
        assertTrue(pin.getMessage().contains("agent.yaml:8: companion.safe_mode_line.pin: expected a BCM pin number "
                + "0..63, got 64"), pin.getMessage());
        ConfigException provider = assertThrows(ConfigException.class, () -> parse(
                "companion:\n  tcp: \"127.0.0.1:1\"\n  safe_mode_line:\n    provider: wiringpi\n    pin: 27\n"));
        assertTrue(provider.getMessage().contains("agent.yaml:9: companion.safe_mode_line.provider: expected one of "
                + "mock, linuxfs, gpiod"), provider.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> parse(
                "companion:\n  tcp: \"127.0.0.1:1\"\n  safe_mode_line: {provider: mock, active_low: yes}\n"));
        assertTrue(missing.getMessage().contains("companion.safe_mode_line.pin: missing required key"),
                missing.getMessage());
    }
}
