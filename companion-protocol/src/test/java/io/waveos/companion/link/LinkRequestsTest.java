package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.ErrorCode;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.LinkError;
import io.waveos.companion.proto.SafeModeOrder;
import io.waveos.companion.proto.Sender;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkRequestsTest {

    /** Beats once a minute, so that only requests show in the log. */
    private static final LinkConfig CONFIG = LinkConfig.DEFAULTS.withHeartbeatPeriod(Duration.ofMinutes(1));

    private static LinkRig upAndQuiet(LinkConfig config) {
        LinkRig rig = LinkRig.plain(config).started();
        rig.clearLog();
        return rig;
    }

    @Test
    void requestIsDeliveredOnceAndItsDecisionEndsIt() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(6));

        assertEquals(List.of(
                "t=0 device tx COMMAND_REQUEST r1 seq=2",
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 guardian tx COMMAND_DECISION r1 seq=2",
                "t=0 device answered r1 approve"), rig.log());
    }

    @Test
    void requestIsRetransmittedWithItsSeqUntilItIsAnswered() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.loseNext(Endpoint.DEVICE, "COMMAND_REQUEST");
        rig.loseNext(Endpoint.DEVICE, "COMMAND_REQUEST");
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(1));

        assertEquals(List.of(
                "t=0 device tx COMMAND_REQUEST r1 seq=2",
                "t=0 wire loses device COMMAND_REQUEST r1 seq=2",
                "t=250 device tx COMMAND_REQUEST r1 seq=2",
                "t=250 wire loses device COMMAND_REQUEST r1 seq=2",
                "t=500 device tx COMMAND_REQUEST r1 seq=2",
                "t=500 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=500 guardian tx COMMAND_DECISION r1 seq=2",
                "t=500 device answered r1 approve"), rig.log());
        assertEquals(2, rig.device().counters().of(LinkCount.RETRANSMIT));
    }

    @Test
    void repeatedRequestIsAnsweredFromTheRememberedDecisionWithoutBeingDeliveredAgain() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.loseNext(Endpoint.GUARDIAN, "COMMAND_DECISION");
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(1));

        assertEquals(List.of(
                "t=0 device tx COMMAND_REQUEST r1 seq=2",
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 guardian tx COMMAND_DECISION r1 seq=2",
                "t=0 wire loses guardian COMMAND_DECISION r1 seq=2",
                "t=250 device tx COMMAND_REQUEST r1 seq=2",
                "t=250 guardian tx COMMAND_DECISION r1 seq=3",
                "t=250 device answered r1 approve"), rig.log());
        assertEquals(1, rig.guardian().counters().of(LinkCount.DUPLICATE));
    }

    @Test
    void repeatsWhileTheGuardianDecidesAreDroppedAndTheRequestTimesOutUnanswered() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(6));

        assertEquals(List.of(
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=5000 device failed r1 TIMED_OUT"), rig.logOf("deliver", "failed", "answered"));
        // Sent at 0 and every 250 ms up to 4750, then no more.
        assertEquals(20, rig.logOf("device tx COMMAND_REQUEST r1").size());
        assertEquals("t=4750 device tx COMMAND_REQUEST r1 seq=2", rig.logOf("device tx").get(19));
        assertEquals(19, rig.device().counters().of(LinkCount.RETRANSMIT));
        assertEquals(1, rig.device().counters().of(LinkCount.TIMEOUT));
        assertEquals(19, rig.guardian().counters().of(LinkCount.DUPLICATE));
    }

    @Test
    void decisionArrivingAfterTheTimeoutIsCountedAsLateAndNotReported() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(5));
        rig.clearLog();

        rig.on(Endpoint.GUARDIAN, (s, now) -> s.reply(decision("r1", true), now));

        assertEquals(List.of("t=5000 guardian tx COMMAND_DECISION r1 seq=2"), rig.log());
        assertEquals(1, rig.device().counters().of(LinkCount.LATE_ANSWER));
    }

    @Test
    void guardianForgetsARequestItsOwnerLeftUnansweredOnceTheDeviceHasGivenUp() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(5));
        rig.guardianDecides(LinkRig::approve);
        rig.deviceRequests("r1");

        assertEquals(List.of(
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=5000 device failed r1 TIMED_OUT",
                "t=5000 guardian deliver COMMAND_REQUEST r1 seq=3",
                "t=5000 device answered r1 approve"), rig.logOf("deliver", "failed", "answered"));
    }

    @Test
    void atMostMaxOutstandingRequestsWaitAndOneMoreIsRefusedAtOnce() {
        LinkRig rig = upAndQuiet(CONFIG.withMaxOutstandingRequests(2));
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.deviceRequests("r2");

        List<LinkOutput> refused = rig.deviceRequests("r3");

        assertEquals(List.of(new LinkOutput.RequestFailed("r3", RequestFailure.OUTSTANDING_LIMIT,
                "2 requests are already waiting for an answer")), refused);
        rig.advance(Duration.ofSeconds(5));
        assertEquals(List.of(
                "t=0 device failed r3 OUTSTANDING_LIMIT",
                "t=5000 device failed r1 TIMED_OUT",
                "t=5000 device failed r2 TIMED_OUT"), rig.logOf("failed"));
        rig.deviceRequests("r4");
        assertEquals(List.of("t=5000 device tx COMMAND_REQUEST r4 seq=4"), rig.logOf("device tx COMMAND_REQUEST r4"));
    }

    @Test
    void requestIsRefusedAtOnceWhileTheLinkIsNotUp() {
        LinkRig rig = LinkRig.plain(CONFIG);

        assertEquals(List.of(new LinkOutput.RequestFailed("r1", RequestFailure.LINK_NOT_UP, "the link is DISCONNECTED")),
                rig.deviceRequests("r1"));
        rig.on(Endpoint.DEVICE, LinkSession::start);
        assertEquals(RequestFailure.LINK_NOT_UP,
                ((LinkOutput.RequestFailed) rig.deviceRequests("r1").get(0)).failure());
    }

    @Test
    void requestTooLargeForAFrameIsRefusedAtOnce() {
        LinkRig rig = upAndQuiet(CONFIG);
        Envelope.Builder big = LinkRig.commandRequest("r1");
        big.getCommandRequestBuilder().putParameters("blob", "x".repeat(600));

        List<LinkOutput> out = rig.on(Endpoint.DEVICE, (s, now) -> s.request(big, now));

        assertEquals(List.of(new LinkOutput.RequestFailed("r1", RequestFailure.TOO_LARGE,
                "larger than the payload limit of 504 bytes")), out);
    }

    @Test
    void misuseOfTheRequestApiIsAProgrammingError() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");

        assertThrows(IllegalStateException.class, () -> rig.deviceRequests("r1"));
        assertThrows(IllegalArgumentException.class, () -> rig.deviceRequests(""));
        assertThrows(IllegalArgumentException.class, () -> rig.deviceRequests("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> rig.guardian().request(LinkRig.commandRequest("g1"), 0));
        assertThrows(IllegalArgumentException.class, () -> rig.device().reply(decision("r1", true), 0));
        assertThrows(IllegalArgumentException.class, () -> rig.device().send(
                Envelope.newBuilder().setSafeModeOrder(SafeModeOrder.getDefaultInstance()), 0));
        assertThrows(IllegalArgumentException.class, () -> rig.device().send(LinkRig.commandRequest("r9"), 0));
        assertThrows(IllegalArgumentException.class, () -> rig.device().send(Envelope.newBuilder(), 0));
        rig.guardian().reply(decision("r1", true), rig.nowNanos());
        assertThrows(IllegalStateException.class, () -> rig.guardian().reply(decision("r1", false), 0));
    }

    @Test
    void guardianAnswersBusyWhenTooManyRequestsAwaitItsOwnerAndTheDeviceKeepsTrying() {
        LinkRig rig = LinkRig.plain(CONFIG)
                .replace(Endpoint.GUARDIAN, CONFIG.withMaxOutstandingRequests(1), LinkParts.info(Endpoint.GUARDIAN, 1))
                .started();
        rig.clearLog();
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.deviceRequests("r2");
        rig.advance(Duration.ofMillis(250));
        rig.on(Endpoint.GUARDIAN, (s, now) -> s.reply(decision("r1", false), now));
        rig.guardianDecides(LinkRig::approve);
        rig.advance(Duration.ofMillis(250));

        assertEquals(List.of(
                "t=0 device tx COMMAND_REQUEST r1 seq=2",
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 device tx COMMAND_REQUEST r2 seq=3",
                "t=0 guardian tx ERROR BUSY re=3 seq=2",
                "t=250 device tx COMMAND_REQUEST r1 seq=2",
                "t=250 device tx COMMAND_REQUEST r2 seq=3",
                "t=250 guardian tx ERROR BUSY re=3 seq=3",
                "t=250 guardian tx COMMAND_DECISION r1 seq=4",
                "t=250 device answered r1 deny",
                "t=500 device tx COMMAND_REQUEST r2 seq=3",
                "t=500 guardian deliver COMMAND_REQUEST r2 seq=3",
                "t=500 guardian tx COMMAND_DECISION r2 seq=5",
                "t=500 device answered r2 approve"), rig.log());
        assertEquals(2, rig.guardian().counters().of(LinkCount.BUSY_REFUSAL));
    }

    @Test
    void peerErrorAnsweringARequestFailsIt() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.clearLog();

        rig.injectFrom(Endpoint.GUARDIAN, Envelope.newBuilder().setSender(Sender.SENDER_GUARDIAN).setSeq(40)
                .setError(LinkError.newBuilder().setCode(ErrorCode.ERROR_CODE_INTERNAL).setText("disk full")
                        .setInReplyToSeq(2))
                .build());

        assertEquals(List.of("t=0 device failed r1 PEER_ERROR"), rig.log());
    }

    @Test
    void unknownRequestIsAnsweredUnsupportedAndUnknownMessageIsIgnored() {
        LinkRig rig = upAndQuiet(CONFIG);
        UnknownFieldSet futureBody = UnknownFieldSet.newBuilder().addField(16, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("from the future")).build()).build();

        rig.injectFrom(Endpoint.DEVICE, Envelope.newBuilder().setSender(Sender.SENDER_DEVICE).setSeq(2)
                .setExpectsReply(true).setUnknownFields(futureBody).build());
        rig.injectFrom(Endpoint.DEVICE, Envelope.newBuilder().setSender(Sender.SENDER_DEVICE).setSeq(3)
                .setUnknownFields(futureBody).build());

        assertEquals(List.of(
                "t=0 guardian tx ERROR UNSUPPORTED re=2 seq=2",
                // It answers none of the device's requests, so the device's owner sees it.
                "t=0 device deliver ERROR UNSUPPORTED re=2 seq=2"), rig.log());
        assertEquals("the GUARDIAN does not accept an unknown body (fields [16])",
                rig.delivered(Endpoint.DEVICE).get(0).getError().getText());
        assertEquals(2, rig.guardian().counters().of(LinkCount.UNSUPPORTED));
    }

    @Test
    void messageSentTheWrongWayIsTreatedAsUnsupported() {
        LinkRig rig = upAndQuiet(CONFIG);

        rig.injectFrom(Endpoint.GUARDIAN, Envelope.newBuilder().setSender(Sender.SENDER_GUARDIAN).setSeq(2)
                .setHealthReport(HealthReport.getDefaultInstance()).build());

        assertEquals(List.of(), rig.log());
        assertEquals(1, rig.device().counters().of(LinkCount.UNSUPPORTED));
    }

    @Test
    void fireAndForgetMessagesAreDeliveredOnceAndNotSentWithoutASession() {
        LinkRig rig = upAndQuiet(CONFIG);
        Envelope.Builder order = Envelope.newBuilder().setSafeModeOrder(SafeModeOrder.newBuilder()
                .setReason("memory trend").setMinDurationMs(600_000));

        rig.on(Endpoint.GUARDIAN, (s, now) -> s.send(order, now));
        rig.on(Endpoint.DEVICE, (s, now) -> s.stop("closing", now));
        List<LinkOutput> notSent = rig.on(Endpoint.DEVICE, (s, now) -> s.send(
                Envelope.newBuilder().setHealthReport(HealthReport.getDefaultInstance()), now));

        assertEquals(List.of(
                "t=0 guardian tx SAFE_MODE_ORDER seq=2",
                "t=0 device deliver SAFE_MODE_ORDER seq=2",
                "t=0 device UP -> DISCONNECTED",
                "t=0 device not sent HEALTH_REPORT: the link is DISCONNECTED"), rig.log());
        assertEquals(List.of(new LinkOutput.NotSent(Envelope.BodyCase.HEALTH_REPORT, "the link is DISCONNECTED")),
                notSent);
    }

    @Test
    void stoppingTheLinkFailsItsOutstandingRequests() {
        LinkRig rig = upAndQuiet(CONFIG);
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.deviceRequests("r2");
        rig.clearLog();

        rig.on(Endpoint.DEVICE, (s, now) -> s.stop("transport closed", now));

        assertEquals(List.of(
                "t=0 device UP -> DISCONNECTED",
                "t=0 device failed r1 SESSION_ENDED",
                "t=0 device failed r2 SESSION_ENDED"), rig.log());
    }

    @Test
    void guardianRemembersOnlyTheLastDecisions() {
        LinkRig rig = upAndQuiet(CONFIG.withMaxRememberedRequests(2));
        rig.deviceRequests("r1");
        rig.deviceRequests("r2");
        rig.deviceRequests("r3");
        rig.clearLog();

        // A repeat of r1 (its decision forgotten) is delivered again; a repeat of r3 is answered from memory.
        rig.injectFrom(Endpoint.DEVICE, LinkRig.commandRequest("r1").setSender(Sender.SENDER_DEVICE).setSeq(2)
                .setExpectsReply(true).build());
        rig.injectFrom(Endpoint.DEVICE, LinkRig.commandRequest("r3").setSender(Sender.SENDER_DEVICE).setSeq(4)
                .setExpectsReply(true).build());

        assertEquals(List.of(
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 guardian tx COMMAND_DECISION r1 seq=5",
                "t=0 guardian tx COMMAND_DECISION r3 seq=6"), rig.logOf("guardian"));
    }

    private static CommandDecision decision(String id, boolean approve) {
        return CommandDecision.newBuilder().setRequestId(id).setApprove(approve)
                .setReason(approve ? DecisionReason.DECISION_REASON_ALLOWED : DecisionReason.DECISION_REASON_RATE_LIMITED)
                .build();
    }
}
