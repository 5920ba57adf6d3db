package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Pi4jResetLine} on Pi4J 2.8.0's mock provider, timed by a virtual scheduler. */
class ResetLineTest {
    private final FakeScheduler scheduler = new FakeScheduler();

    private static DigitalState pin(Pi4jResetLine line, String id) {
        return line.context().io(id, DigitalOutput.class).state();
    }

    @Test
    void aPulseDrivesTheMockOutputHighThenLowAfterItsWidth() {
        try (Pi4jResetLine line = Pi4jResetLine.open(GpioSettings.MOCK, scheduler)) {
            assertEquals(DigitalState.LOW, pin(line, "guardian-reset"), "released at start");

            assertTrue(line.pulseReset(Duration.ofMillis(100)));
            assertEquals(DigitalState.HIGH, pin(line, "guardian-reset"));
            assertTrue(line.resetAsserted());

            scheduler.advance(Duration.ofMillis(99));
            assertEquals(DigitalState.HIGH, pin(line, "guardian-reset"), "still asserted within the width");
            scheduler.advance(Duration.ofMillis(1));
            assertEquals(DigitalState.LOW, pin(line, "guardian-reset"));
            assertFalse(line.resetAsserted());
        }
    }

    @Test
    void refusesASecondPulseWhileOneIsInProgress() {
        try (Pi4jResetLine line = Pi4jResetLine.open(GpioSettings.MOCK, scheduler)) {
            assertTrue(line.pulseReset(Duration.ofMillis(200)));
            scheduler.advance(Duration.ofMillis(150));
            assertFalse(line.pulseReset(Duration.ofMillis(200)), "would only stretch the first pulse");
            scheduler.advance(Duration.ofMillis(50));
            assertEquals(DigitalState.LOW, pin(line, "guardian-reset"), "released at the first pulse's end");
            assertTrue(line.pulseReset(Duration.ofMillis(200)));
        }
    }

    @Test
    void drivesTheSafeModeLineUntilReleased() {
        try (Pi4jResetLine line = Pi4jResetLine.open(GpioSettings.MOCK, scheduler)) {
            assertEquals(DigitalState.LOW, pin(line, "guardian-safe-mode"));
            line.setSafeMode(true);
            assertEquals(DigitalState.HIGH, pin(line, "guardian-safe-mode"));
            assertTrue(line.safeModeAsserted());
            line.setSafeMode(true);
            assertEquals(DigitalState.HIGH, pin(line, "guardian-safe-mode"), "idempotent");
            line.setSafeMode(false);
            assertEquals(DigitalState.LOW, pin(line, "guardian-safe-mode"));
        }
    }

    @Test
    void anActiveLowWiringInvertsTheLevels() {
        GpioSettings activeLow = new GpioSettings(GpioSettings.Provider.MOCK, 5, 6, false, false);
        try (Pi4jResetLine line = Pi4jResetLine.open(activeLow, scheduler)) {
            assertEquals(DigitalState.HIGH, pin(line, "guardian-reset"), "released is high");
            assertEquals(DigitalState.HIGH, pin(line, "guardian-safe-mode"));
            line.pulseReset(Duration.ofMillis(10));
            line.setSafeMode(true);
            assertEquals(DigitalState.LOW, pin(line, "guardian-reset"));
            assertEquals(DigitalState.LOW, pin(line, "guardian-safe-mode"));
            scheduler.advance(Duration.ofMillis(10));
            assertEquals(DigitalState.HIGH, pin(line, "guardian-reset"));
        }
    }

    @Test
    void closingReleasesBothLinesAndCancelsThePulsesEffect() {
        Pi4jResetLine line = Pi4jResetLine.open(GpioSettings.MOCK, scheduler);
        DigitalOutput reset = line.context().io("guardian-reset", DigitalOutput.class);
        DigitalOutput safeMode = line.context().io("guardian-safe-mode", DigitalOutput.class);
        line.pulseReset(Duration.ofSeconds(1));
        line.setSafeMode(true);
        line.close();
        assertEquals(DigitalState.LOW, reset.state());
        assertEquals(DigitalState.LOW, safeMode.state());
        scheduler.advance(Duration.ofSeconds(2));
        assertFalse(line.pulseReset(Duration.ofMillis(1)), "closed");
        assertThrows(IllegalStateException.class, () -> line.setSafeMode(true));
        line.close();
    }

    @Test
    void aRealProviderThatIsNotOnTheClasspathFailsNamingTheArtifact() {
        GpioSettings gpiod = new GpioSettings(GpioSettings.Provider.GPIOD, 17, 27, true, true);
        GpioException e = assertThrows(GpioException.class, () -> Pi4jResetLine.open(gpiod, scheduler));
        assertTrue(e.getMessage().contains("'gpiod'") && e.getMessage().contains("com.pi4j:pi4j-plugin-gpiod:2.8.0"),
                e.getMessage());
    }

    @Test
    void rejectsAPulseWithoutWidthAndTwoLinesOnOnePin() {
        try (Pi4jResetLine line = Pi4jResetLine.open(GpioSettings.MOCK, scheduler)) {
            assertThrows(IllegalArgumentException.class, () -> line.pulseReset(Duration.ZERO));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new GpioSettings(GpioSettings.Provider.MOCK, 17, 17, true, true));
    }
}
