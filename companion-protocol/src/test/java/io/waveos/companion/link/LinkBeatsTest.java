package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.companion.frame.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkBeatsTest {

    private static final LinkConfig CONFIG = LinkConfig.DEFAULTS;

    @Test
    void eachEndBeatsOncePerPeriodAndRepeatsTheBeatUntilTheNextIsDue() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.clearLog();
        rig.advance(Duration.ofMillis(2000));

        assertEquals(List.of(
                "t=1000 device tx HEARTBEAT seq=2",
                "t=1000 guardian tx TIME_WITNESS seq=2",
                "t=1000 guardian deliver HEARTBEAT seq=2",
                "t=1000 device deliver TIME_WITNESS seq=2",
                "t=1250 device tx HEARTBEAT seq=2",
                "t=1250 guardian tx TIME_WITNESS seq=2",
                "t=1500 device tx HEARTBEAT seq=2",
                "t=1500 guardian tx TIME_WITNESS seq=2",
                "t=1750 device tx HEARTBEAT seq=2",
                "t=1750 guardian tx TIME_WITNESS seq=2",
                "t=2000 device tx HEARTBEAT seq=3",
                "t=2000 guardian tx TIME_WITNESS seq=3",
                "t=2000 guardian deliver HEARTBEAT seq=3",
                "t=2000 device deliver TIME_WITNESS seq=3"), rig.log());
        // Repeats keep the peer's loss detector fed but are delivered once.
        assertEquals(3, rig.device().counters().of(LinkCount.BEAT_REPEAT));
        assertEquals(3, rig.guardian().counters().of(LinkCount.DUPLICATE));
    }

    @Test
    void beatsAreSentOnlyOnceAPeriodWhenTheRepeatIntervalIsNotShorter() {
        LinkConfig once = CONFIG.withRetransmitInterval(Duration.ofSeconds(1));
        LinkRig rig = LinkRig.plain(once).started();
        rig.clearLog();
        rig.advance(Duration.ofMillis(2000));

        assertEquals(List.of(
                "t=1000 device tx HEARTBEAT seq=2",
                "t=2000 device tx HEARTBEAT seq=3"), rig.logOf("device tx"));
    }

    @Test
    void linkIsLostAfterThreeSilentPeriodsAndComesBackUpWhenTheLineHeals() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.advance(Duration.ofMillis(1000));
        rig.clearLog();
        rig.cut();
        rig.advance(Duration.ofMillis(3500));
        rig.heal();
        rig.advance(Duration.ofMillis(500));

        assertEquals(List.of(
                "t=4000 device UP -> LOST",
                "t=4000 guardian UP -> LOST",
                "t=5000 guardian LOST -> UP",
                "t=5000 device LOST -> UP"), rig.logOf("->"));
        // The device opened a new session: Hello retried every 500 ms until the line healed.
        assertEquals(List.of(
                "t=4000 device tx HELLO seq=1",
                "t=4500 device tx HELLO seq=1",
                "t=5000 device tx HELLO seq=1",
                "t=5000 guardian tx HELLO_ACK seq=1"), rig.logOf("tx HELLO"));
        assertEquals(List.of(), rig.logOf("peer reset"));
        assertEquals(1, rig.device().counters().of(LinkCount.LOSS));
        assertEquals(1, rig.guardian().counters().of(LinkCount.LOSS));

        rig.clearLog();
        rig.advance(Duration.ofMillis(1000));
        assertEquals(List.of(
                "t=6000 device tx HEARTBEAT seq=2",
                "t=6000 guardian deliver HEARTBEAT seq=2"), rig.logOf("HEARTBEAT seq=2"));
    }

    @Test
    void guardianThatStopsHearingTheDeviceKeepsItsSessionAndComesBackWhenHeardAgain() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.advance(Duration.ofMillis(1000));
        rig.clearLog();
        rig.cut(Endpoint.DEVICE);
        rig.advance(Duration.ofMillis(3500));
        rig.heal();
        rig.advance(Duration.ofMillis(500));

        assertEquals(List.of(
                "t=4000 guardian UP -> LOST",
                // The device still hears the Guardian's time witnesses and keeps its session; its next
                // heartbeat brings the Guardian back without a new handshake.
                "t=4750 guardian LOST -> UP"), rig.logOf("->", "HELLO"));
        assertEquals(LinkState.UP, rig.device().state());
        // The beat sent at 4000 was lost; a repeat of it, after the line healed, still delivered it.
        assertEquals(List.of(
                "t=4750 guardian deliver HEARTBEAT seq=5",
                "t=5000 guardian deliver HEARTBEAT seq=6"), rig.logOf("guardian deliver"));
    }

    @Test
    void heartbeatContentIsTakenFromTheOwnerOncePerPeriod() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.advance(Duration.ofMillis(3000));

        // LinkParts numbers the heartbeats it hands out in loop_lag_ms.
        assertEquals(List.of(0, 1, 2), rig.delivered(Endpoint.GUARDIAN).stream()
                .map(e -> e.getHeartbeat().getLoopLagMs()).toList());
    }

    @Test
    void aLateOwnerLoopDelaysTheNextBeatInsteadOfCatchingUpInABurst() {
        BeatSchedule schedule = new BeatSchedule(1000, 250);
        schedule.arm(0);

        assertEquals(false, schedule.newBeatDue(999));
        assertEquals(true, schedule.newBeatDue(1000));
        assertEquals(true, schedule.newBeatDue(4500));
        assertEquals(false, schedule.newBeatDue(5000));
        assertEquals(true, schedule.newBeatDue(5500));
    }
}
