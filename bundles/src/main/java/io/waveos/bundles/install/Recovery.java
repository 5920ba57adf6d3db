package io.waveos.bundles.install;

import java.util.Objects;

/** What {@link SlotInstaller#recover()} did for one component at start. */
public sealed interface Recovery {

    String component();

    /** The install had not reached activation: its target stays bad, the active slot is unchanged. */
    record Abandoned(String component, String bundleId, long version, Step step) implements Recovery {
        public Abandoned {
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(bundleId, "bundleId");
            Objects.requireNonNull(step, "step");
        }
    }

    /** The trial was interrupted, within the allowance: restart the services and the soak. */
    record ResumeTrial(ActiveSlot slot, int interruptions) implements Recovery {
        public ResumeTrial {
            Objects.requireNonNull(slot, "slot");
        }

        @Override
        public String component() {
            return slot.component();
        }
    }

    /** The trial was interrupted too often and was rolled back ({@code trial-interrupted}). */
    record RolledBackOnRecovery(RolledBack rolledBack) implements Recovery {
        public RolledBackOnRecovery {
            Objects.requireNonNull(rolledBack, "rolledBack");
        }

        @Override
        public String component() {
            return rolledBack.component();
        }
    }

    /** A commit was cut before its floor was raised; the floor now matches the committed slot. */
    record FloorRaised(String component, long from, long to) implements Recovery {
        public FloorRaised {
            Objects.requireNonNull(component, "component");
        }
    }
}
