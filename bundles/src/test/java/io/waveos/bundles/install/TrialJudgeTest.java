package io.waveos.bundles.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.bundles.manifest.TrialCriteria;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialJudgeTest {

    private static final TrialCriteria CRITERIA = new TrialCriteria(Duration.ofSeconds(60), List.of("web"), 2);
    private static final TrialObservation.Service READY = new TrialObservation.Service(true, 0, false);

    private static TrialVerdict judge(long seconds, Map<String, TrialObservation.Service> services, boolean safe) {
        return TrialJudge.judge(CRITERIA, new TrialObservation(Duration.ofSeconds(seconds), services, safe));
    }

    private static RollbackReason failure(TrialVerdict v) {
        return ((TrialVerdict.Failed) v).reason();
    }

    @Test
    void isPendingDuringTheSoakEvenWhenAServiceIsNotReadyYet() {
        assertEquals(new TrialVerdict.Pending(), judge(59, Map.of("web", new TrialObservation.Service(false, 0, false)), false));
    }

    @Test
    void passesAtTheEndOfTheSoakWhenEveryCriterionHeld() {
        assertEquals(new TrialVerdict.Passed(), judge(60, Map.of("web", new TrialObservation.Service(true, 2, false)), false));
    }

    @Test
    void failsWithServiceNotReadyAtTheEndOfTheSoak() {
        RollbackReason r = failure(judge(60, Map.of("web", new TrialObservation.Service(false, 1, false)), false));
        assertEquals(Criterion.SERVICE_NOT_READY, r.criterion());
        assertEquals("web", r.data().get("service"));
        assertEquals("true", r.data().get("observed"), "the service exists");
        assertEquals("false", r.data().get("ready"));
        assertEquals("service-not-ready", r.criterion().code());
    }

    @Test
    void aServiceNeverObservedIsNotReady() {
        RollbackReason r = failure(judge(60, Map.of("db", READY), false));
        assertEquals(Criterion.SERVICE_NOT_READY, r.criterion());
        assertEquals("false", r.data().get("observed"));
    }

    @Test
    void failsAtOnceWithTooManyRestartsSummedOverServices() {
        RollbackReason r = failure(judge(1, Map.of("web", new TrialObservation.Service(true, 2, false),
                "db", new TrialObservation.Service(true, 1, false)), false));
        assertEquals(Criterion.TOO_MANY_RESTARTS, r.criterion());
        assertEquals("3", r.data().get("restarts"));
        assertEquals("2", r.data().get("max"));
        assertEquals("db,web", r.data().get("service"));
        assertEquals("too-many-restarts", r.criterion().code());
    }

    @Test
    void failsAtOnceWhenAServiceGaveUp() {
        RollbackReason r = failure(judge(1, Map.of("web", new TrialObservation.Service(false, 1, true)), false));
        assertEquals(Criterion.SERVICE_FAILED, r.criterion());
        assertEquals("web", r.data().get("service"));
        assertEquals("service-failed", r.criterion().code());
    }

    @Test
    void failsAtOnceInSafeMode() {
        RollbackReason r = failure(judge(1, Map.of("web", READY), true));
        assertEquals(Criterion.SAFE_MODE, r.criterion());
        assertEquals("safe-mode", r.criterion().code());
        assertEquals("1000", r.data().get("elapsed_ms"));
    }
}
