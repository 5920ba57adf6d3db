package io.waveos.agent.update;

import io.waveos.agent.platform.WallClock;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evidence files for update incidents: one JSON file per rollback in the evidence folder, written
 * atomically, saying which criterion failed with the data that made it fail and what every service
 * looked like at that moment. (Issue #5 packs these with the events into signed evidence packs.)
 */
final class Evidence {
    private final SlotStorage files;
    private final Path dir;
    private final WallClock wall;

    Evidence(SlotStorage files, Path dir, WallClock wall) {
        this.files = files;
        this.dir = dir;
        this.wall = wall;
    }

    /** Writes the file; the event names it, or says why it could not be written. */
    Event write(String kind, String component, Map<String, Object> content) {
        Instant now = wall.now();
        String name = Json.time(now).replace(":", "") + "-" + kind + "-" + component + ".json";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", kind);
        doc.put("time", Json.time(now));
        doc.put("component", component);
        doc.putAll(content);
        Path file = dir.resolve(name);
        try {
            files.createDirectories(dir);
            files.writeAtomically(file, (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8));
            return Event.of(EventCode.EVIDENCE_WRITTEN, component, "evidence of " + kind, "file", file.toString());
        } catch (IOException e) {
            return Event.of(EventCode.EVIDENCE_WRITTEN, component, "could not write the evidence of " + kind + " to "
                    + file + ": " + e.getMessage(), "file", "");
        }
    }
}
