package io.waveos.bundles.install;

import io.waveos.bundles.manifest.TrialCriteria;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides a trial from what the agent observed. Pure: the agent calls it whenever something changes
 * and when the soak ends. Fails fast: safe mode, a failed service and too many restarts fail at once;
 * readiness is judged only at the end of the soak (services may take time to become ready).
 */
public final class TrialJudge {

    private TrialJudge() {
    }

    public static TrialVerdict judge(TrialCriteria criteria, TrialObservation seen) {
        if (seen.safeMode()) {
            return failed(Criterion.SAFE_MODE, Map.of("elapsed_ms", Long.toString(seen.sinceRestart().toMillis())));
        }
        int restarts = 0;
        Map<String, String> restarted = new LinkedHashMap<>();
        for (Map.Entry<String, TrialObservation.Service> e : seen.services().entrySet()) {
            TrialObservation.Service s = e.getValue();
            if (s.failed()) {
                Map<String, String> data = new LinkedHashMap<>();
                data.put("service", e.getKey());
                data.put("restarts", Integer.toString(s.restarts()));
                return failed(Criterion.SERVICE_FAILED, data);
            }
            restarts += s.restarts();
            if (s.restarts() > 0) {
                restarted.put(e.getKey(), Integer.toString(s.restarts()));
            }
        }
        if (restarts > criteria.maxRestarts()) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("service", String.join(",", restarted.keySet()));
            data.put("restarts", Integer.toString(restarts));
            data.put("max", Integer.toString(criteria.maxRestarts()));
            restarted.forEach((name, n) -> data.put("restarts." + name, n));
            return failed(Criterion.TOO_MANY_RESTARTS, data);
        }
        if (seen.sinceRestart().compareTo(criteria.soak()) < 0) {
            return new TrialVerdict.Pending();
        }
        for (String name : criteria.mustBeReady()) {
            TrialObservation.Service s = seen.services().get(name);
            if (s == null || !s.ready()) {
                Map<String, String> data = new LinkedHashMap<>();
                data.put("service", name);
                // observed: whether the agent knows the service at all (false: not defined by the slot
                // or the config); ready is false either way.
                data.put("observed", Boolean.toString(s != null));
                data.put("ready", "false");
                data.put("soak_ms", Long.toString(criteria.soak().toMillis()));
                return failed(Criterion.SERVICE_NOT_READY, data);
            }
        }
        return new TrialVerdict.Passed();
    }

    private static TrialVerdict failed(Criterion c, Map<String, String> data) {
        return new TrialVerdict.Failed(new RollbackReason(c, data));
    }
}
