package io.waveos.bundles.install;

import io.waveos.bundles.BundleError;
import java.util.Objects;

/** How an install ended, as the agent reports it in events and evidence. */
public sealed interface InstallOutcome
        permits InstallOutcome.Installed, InstallOutcome.Rejected, RolledBack, InstallOutcome.RollbackFailed {

    /** Committed after its trial; the only outcome that is a success. */
    record Installed(String component, long version, String bundleId) implements InstallOutcome {
        public Installed {
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(bundleId, "bundleId");
        }
    }

    /** Refused before activation; the active slot was never touched. */
    record Rejected(BundleError error, String detail) implements InstallOutcome {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The rollback itself failed (storage); the device needs an operator (see the runbook). */
    record RollbackFailed(String component, BundleError error, String detail) implements InstallOutcome {
        public RollbackFailed {
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
