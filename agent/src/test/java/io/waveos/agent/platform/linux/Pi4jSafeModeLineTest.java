package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.waveos.agent.config.SafeModeLineConfig;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The Pi4J adapter on Pi4J's mock provider: polarity, and no silent fallback to the mock. */
class Pi4jSafeModeLineTest {
    @Test
    void readsTheMockPinWithTheWiringsPolarity() throws IOException {
        try (Pi4jSafeModeLine activeLow = Pi4jSafeModeLine.open(
                new SafeModeLineConfig(SafeModeLineConfig.Provider.MOCK, 27, true))) {
            MockDigitalInput pin = (MockDigitalInput) activeLow.input();
            assertFalse(activeLow.asserted(), "a mock line starts released");
            pin.mockState(DigitalState.LOW);
            assertTrue(activeLow.asserted(), "low is asserted on the documented open-drain wiring");
            pin.mockState(DigitalState.HIGH);
            assertFalse(activeLow.asserted());
        }
        try (Pi4jSafeModeLine activeHigh = Pi4jSafeModeLine.open(
                new SafeModeLineConfig(SafeModeLineConfig.Provider.MOCK, 22, false))) {
            ((MockDigitalInput) activeHigh.input()).mockState(DigitalState.HIGH);
            assertTrue(activeHigh.asserted());
        }
    }

    @Test
    void aRealProviderThatIsNotShippedIsAnErrorNamingTheArtifact() {
        IOException e = assertThrows(IOException.class, () -> Pi4jSafeModeLine.open(
                new SafeModeLineConfig(SafeModeLineConfig.Provider.GPIOD, 27, true)));
        assertTrue(e.getMessage().contains("com.pi4j:pi4j-plugin-gpiod:2.8.0"), e.getMessage());
    }

    @Test
    void aClosedLineCannotBeRead() throws IOException {
        Pi4jSafeModeLine line = Pi4jSafeModeLine.open(new SafeModeLineConfig(SafeModeLineConfig.Provider.MOCK, 27,
                true));
        line.close();
        line.close();
        assertThrows(IOException.class, line::asserted);
    }
}
