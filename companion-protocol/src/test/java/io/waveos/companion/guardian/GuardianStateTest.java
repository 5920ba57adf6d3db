package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.ResetWitness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardianStateTest {
    private final FakeStateFolder folder = new FakeStateFolder();

    private static ResetWitness witness(int missed) {
        return ResetWitness.newBuilder().setMissedHeartbeats(missed).setGuardianResetDevice(true)
                .setReason("HEARTBEATS_STOPPED: test").setResetMonotonicMs(1000L * missed).setGuardianBootCounter(2)
                .build();
    }

    @Test
    void aFreshFolderHasNoStateAndASavedOneLoadsBackAfterAPowerCut() throws IOException {
        assertEquals(GuardianState.FRESH, GuardianState.load(folder));
        GuardianState state = new GuardianState(7, List.of(witness(10), witness(12)));
        state.save(folder);
        folder.powerCut();
        assertEquals(state, GuardianState.load(folder));
    }

    @Test
    void keepsOnlyTheNewestWitnesses() {
        List<ResetWitness> pending = List.of();
        for (int i = 1; i <= 12; i++) {
            pending = GuardianState.append(pending, witness(i));
        }
        assertEquals(GuardianState.MAX_PENDING_WITNESSES, pending.size());
        assertEquals(5, pending.get(0).getMissedHeartbeats());
        assertEquals(12, pending.get(pending.size() - 1).getMissedHeartbeats());
    }

    @Test
    void aCorruptFileIsAnErrorNamingIt() throws IOException {
        new GuardianState(3, List.of(witness(1))).save(folder);
        byte[] bytes = folder.read(GuardianState.FILE).orElseThrow();
        List<byte[]> damaged = new ArrayList<>();
        byte[] flipped = bytes.clone();
        flipped[10] ^= 1;
        damaged.add(flipped);
        damaged.add(java.util.Arrays.copyOf(bytes, bytes.length - 3));
        damaged.add(new byte[] {1, 2, 3});
        for (byte[] bad : damaged) {
            folder.writeAtomically(GuardianState.FILE, bad);
            IOException e = assertThrows(IOException.class, () -> GuardianState.load(folder));
            assertTrue(e.getMessage().startsWith(GuardianState.FILE + ": "), e.getMessage());
        }
    }
}
