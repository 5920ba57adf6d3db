package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code updates} section: signed bundles taken from an inbox folder. Absent: the agent installs
 * nothing (and says so in an event at start).
 *
 * @param trustRoot the operator-installed trust root file (keys and thresholds)
 * @param inbox the folder watched for {@code *.wbundle} files (writers rename complete files in)
 * @param deviceClass this device's class, matched against each bundle's compatibility list
 * @param maxBundleBytes bundles larger than this are refused without reading further
 * @param spaceMarginBytes free space that must remain in the state file system after writing a slot
 * @param scanInterval how often the inbox is listed
 */
public record UpdatesConfig(Path trustRoot, Path inbox, String deviceClass, long maxBundleBytes,
        long spaceMarginBytes, Duration scanInterval) {

    /** Device classes are matched exactly; a conservative alphabet keeps them printable. */
    public static final Pattern DEVICE_CLASS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final Path DEFAULT_TRUST_ROOT = Path.of("/etc/waveos/trust/root.json");
    public static final long DEFAULT_MAX_BUNDLE_BYTES = 1L << 30;
    public static final long DEFAULT_SPACE_MARGIN_BYTES = 16L << 20;
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(5);

    public UpdatesConfig {
        Objects.requireNonNull(trustRoot, "trustRoot");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(scanInterval, "scanInterval");
        if (!DEVICE_CLASS.matcher(deviceClass).matches()) {
            throw new IllegalArgumentException("device class must match " + DEVICE_CLASS + ": " + deviceClass);
        }
        if (maxBundleBytes <= 0 || spaceMarginBytes < 0 || scanInterval.isNegative() || scanInterval.isZero()) {
            throw new IllegalArgumentException("sizes and the scan interval must be positive");
        }
    }
}
