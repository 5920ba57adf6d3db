package io.waveos.companion.link;

import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.ErrorCode;
import io.waveos.companion.proto.Hello;
import io.waveos.companion.proto.HelloAck;
import io.waveos.companion.proto.LinkError;
import java.util.Optional;

/** The Hello and HelloAck bodies and the checks each side makes on the other's (pure). */
final class Handshake {

    /** Why a Hello or HelloAck is refused, and the error code a Guardian answers a refused Hello with. */
    record Refusal(ErrorCode code, String reason) {}

    private Handshake() {}

    static Envelope.Builder hello(PeerInfo device) {
        return Envelope.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(device.protocolVersion())
                .addAllCapabilities(device.capabilities())
                .setDeviceId(device.deviceId())
                .setBootId(device.bootId())
                .setSoftwareVersion(device.softwareVersion()));
    }

    /** The Guardian's answer to {@code hello}, which it accepted. */
    static Envelope.Builder helloAck(PeerInfo guardian, Hello hello) {
        return Envelope.newBuilder().setHelloAck(HelloAck.newBuilder()
                .setProtocolVersion(negotiated(guardian, hello))
                .addAllCapabilities(guardian.capabilities())
                .setDeviceId(guardian.deviceId().isEmpty() ? hello.getDeviceId() : guardian.deviceId())
                .setBootId(guardian.bootId())
                .setGuardianFirmwareVersion(guardian.softwareVersion()));
    }

    /** A Guardian without a session announcing itself (sent with seq 0 and ack 0). */
    static Envelope.Builder announcement(PeerInfo guardian) {
        return Envelope.newBuilder().setHelloAck(HelloAck.newBuilder()
                .setProtocolVersion(guardian.protocolVersion())
                .addAllCapabilities(guardian.capabilities())
                .setDeviceId(guardian.deviceId())
                .setBootId(guardian.bootId())
                .setGuardianFirmwareVersion(guardian.softwareVersion()));
    }

    static Envelope.Builder error(ErrorCode code, String text, long inReplyToSeq) {
        String bounded = text.length() > 120 ? text.substring(0, 120) : text;
        return Envelope.newBuilder().setError(LinkError.newBuilder()
                .setCode(code).setText(bounded).setInReplyToSeq(inReplyToSeq));
    }

    /** The Guardian's checks on a Hello. */
    static Optional<Refusal> refuseHello(PeerInfo guardian, Hello hello) {
        if (hello.getProtocolVersion() == 0) {
            return Optional.of(new Refusal(ErrorCode.ERROR_CODE_VERSION_MISMATCH,
                    "Hello names no protocol version; this Guardian speaks 1.." + guardian.protocolVersion()));
        }
        if (hello.getBootId().isBlank()) {
            return Optional.of(new Refusal(ErrorCode.ERROR_CODE_INVALID, "Hello without a boot_id"));
        }
        if (!guardian.deviceId().isEmpty() && !guardian.deviceId().equals(hello.getDeviceId())) {
            return Optional.of(new Refusal(ErrorCode.ERROR_CODE_INVALID, "this Guardian is paired with device '"
                    + guardian.deviceId() + "', not '" + hello.getDeviceId() + "'"));
        }
        return Optional.empty();
    }

    /** The device's checks on the HelloAck that answers its Hello. */
    static Optional<String> refuseHelloAck(PeerInfo device, HelloAck ack) {
        // uint32 on the wire: a value above 2^31 reads negative here, and is refused like 0.
        int version = ack.getProtocolVersion();
        if (version < 1 || version > device.protocolVersion()) {
            return Optional.of("the Guardian speaks protocol version " + Integer.toUnsignedString(ack.getProtocolVersion())
                    + "; this device speaks 1.." + device.protocolVersion());
        }
        if (!ack.getDeviceId().isEmpty() && !ack.getDeviceId().equals(device.deviceId())) {
            return Optional.of("the Guardian is paired with device '" + ack.getDeviceId() + "', not '"
                    + device.deviceId() + "'");
        }
        return Optional.empty();
    }

    /** The version a session speaks: the lower of both (protocol_version is uint32: compared unsigned). */
    static int negotiated(PeerInfo guardian, Hello hello) {
        return Integer.compareUnsigned(hello.getProtocolVersion(), guardian.protocolVersion()) < 0
                ? hello.getProtocolVersion() : guardian.protocolVersion();
    }

    /** The device as the Guardian knows it, with the negotiated protocol version. */
    static PeerInfo peerOf(PeerInfo guardian, Hello hello) {
        return new PeerInfo(negotiated(guardian, hello), hello.getCapabilitiesList(), hello.getDeviceId(),
                hello.getSoftwareVersion(), hello.getBootId());
    }

    static PeerInfo peerOf(HelloAck ack) {
        return new PeerInfo(ack.getProtocolVersion(), ack.getCapabilitiesList(), ack.getDeviceId(),
                ack.getGuardianFirmwareVersion(), ack.getBootId());
    }
}
