package io.waveos.hil.grading;

import java.util.List;
import java.util.Map;

/**
 * A graded scenario run: each verdict, the key figures (name -> shown value) and the timeline the
 * report draws. It passes when every verdict passed and the agent ran at least once.
 */
public record Grade(List<Verdict> verdicts, Map<String, String> figures, Timeline timeline, AgentRecords records,
        DeviceArtifacts artifacts) {
    public Grade {
        verdicts = List.copyOf(verdicts);
        figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
    }

    public boolean passed() {
        return !records.runs().isEmpty() && verdicts.stream().allMatch(Verdict::passed);
    }

    public long failures() {
        return verdicts.stream().filter(v -> !v.passed()).count();
    }
}
