package io.waveos.companion.guardian;

import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.proto.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The thin executor between the Guardian's {@link LinkSession}, its pure {@link Guardian} core and its
 * ports: it feeds the link's outputs to the core and performs the core's actions, in order.
 *
 * <p>Ordering: the outputs of one link call are handled as a batch. Its frames are written in order
 * first; its events go to the core; only then are the core's actions performed. So a message the core
 * sends in answer to a new session (a reset witness after the device's Hello) goes out after the
 * HelloAck that opens the session, never before it.
 *
 * <p>Failures of the Guardian's own storage or pins are logged and do not stop it: a watchdog that
 * cannot write its witness must still reset a hung device. A failed write to the wire is logged; the
 * transport reports the broken connection itself.
 *
 * <p>Not thread-safe: every method is called from the Guardian's one loop thread, with the monotonic
 * time.
 */
public final class GuardianRuntime {

    /** Port: where the link's frames go (the current transport connection). */
    @FunctionalInterface
    public interface Wire {
        void write(byte[] frame) throws IOException;
    }

    private final Guardian guardian;
    private final LinkSession link;
    private final ResetLine line;
    private final GuardianLog log;
    private final StateFolder folder;
    private final ReplayFloor replayFloor;
    private final GuardianEpoch epoch;
    private Wire wire;

    public GuardianRuntime(Guardian guardian, LinkSession link, ResetLine line, GuardianLog log, StateFolder folder,
            ReplayFloor replayFloor, GuardianEpoch epoch) {
        this.guardian = guardian;
        this.link = link;
        this.line = line;
        this.log = log;
        this.folder = folder;
        this.replayFloor = replayFloor;
        this.epoch = epoch;
    }

    /** Logs the start and releases the lines. Call once, before anything else. */
    public void start(long nowNanos) {
        perform(guardian.start(nowNanos), nowNanos);
    }

    /** A transport connection opened: the link starts (and waits for the device's Hello). */
    public void connected(Wire connection, long nowNanos) {
        this.wire = connection;
        handle(link.start(nowNanos), nowNanos);
    }

    /** Bytes from the device. */
    public void onBytes(byte[] buf, int off, int len, long nowNanos) {
        handle(link.onBytes(buf, off, len, nowNanos), nowNanos);
    }

    /** The transport connection ended: the link stops until the next {@link #connected}. */
    public void disconnected(String reason, long nowNanos) {
        handle(link.stop(reason, nowNanos), nowNanos);
        wire = null;
    }

    /** Time passed: the link's beats, losses and timeouts, then the core's deadlines. */
    public void tick(long nowNanos) {
        handle(link.tick(nowNanos), nowNanos);
        perform(guardian.onTick(nowNanos), nowNanos);
        try {
            replayFloor.saveIfDue(link.lastAcceptedCounter(), nowNanos);
        } catch (IOException e) {
            stateError(nowNanos, "cannot save the receive counter: " + e.getMessage());
        }
    }

    /** Logs the stop; the owner then stops the link and closes the ports. */
    public void stop(String why, long nowNanos) {
        perform(guardian.stop(nowNanos, why), nowNanos);
    }

    /** The core, for status and tests. */
    public Guardian guardian() {
        return guardian;
    }

    private void handle(List<LinkOutput> outputs, long nowNanos) {
        List<GuardianAction> actions = new ArrayList<>();
        for (LinkOutput output : outputs) {
            if (output instanceof LinkOutput.Transmit transmit) {
                write(transmit.wire());
            } else {
                actions.addAll(onEvent(output, nowNanos));
            }
        }
        perform(actions, nowNanos);
    }

    private List<GuardianAction> onEvent(LinkOutput output, long nowNanos) {
        if (output instanceof LinkOutput.Deliver deliver) {
            Envelope envelope = deliver.env();
            if (envelope.getBodyCase() == Envelope.BodyCase.COMMAND_REQUEST) {
                // Spec 7.3: record the counter before acting on a request, so a replay after a restart
                // of the Guardian cannot make it decide the same frame twice.
                try {
                    replayFloor.save(link.lastAcceptedCounter(), nowNanos);
                } catch (IOException e) {
                    stateError(nowNanos, "cannot save the receive counter: " + e.getMessage());
                }
            }
            return guardian.onEnvelope(nowNanos, envelope);
        } else if (output instanceof LinkOutput.StateChanged changed) {
            if (changed.to() == LinkState.UP) {
                try {
                    replayFloor.save(link.lastAcceptedCounter(), nowNanos);
                } catch (IOException e) {
                    stateError(nowNanos, "cannot save the receive counter: " + e.getMessage());
                }
                return guardian.onLinkUp(nowNanos, changed.reason());
            }
            if (changed.from() == LinkState.UP) {
                return guardian.onLinkDown(nowNanos, changed.reason());
            }
            return List.of();
        } else if (output instanceof LinkOutput.PeerReset) {
            return guardian.onPeerRestarted(nowNanos);
        } else if (output instanceof LinkOutput.HandshakeRefused refused) {
            return List.of(record(nowNanos, GuardianCode.HANDSHAKE_REFUSED, refused.reason(), false));
        } else if (output instanceof LinkOutput.NotSent notSent) {
            return List.of(record(nowNanos, GuardianCode.NOT_SENT, notSent.body() + " not sent: " + notSent.reason(),
                    false));
        }
        // RequestAnswered and RequestFailed concern requests, which the Guardian never makes.
        return List.of();
    }

    private void perform(List<GuardianAction> actions, long nowNanos) {
        for (GuardianAction action : actions) {
            if (action instanceof GuardianAction.Send send) {
                handle(link.send(send.message().toBuilder(), nowNanos), nowNanos);
            } else if (action instanceof GuardianAction.Reply reply) {
                handle(link.reply(reply.decision(), nowNanos), nowNanos);
            } else if (action instanceof GuardianAction.PulseReset pulse) {
                pulseReset(pulse, nowNanos);
            } else if (action instanceof GuardianAction.SetSafeModeLine safeMode) {
                try {
                    line.setSafeMode(safeMode.asserted());
                } catch (GpioException e) {
                    stateError(nowNanos, "cannot drive the safe-mode line: " + e.getMessage());
                }
            } else if (action instanceof GuardianAction.Record record) {
                write(record.event());
            } else if (action instanceof GuardianAction.SaveWitnesses save) {
                try {
                    new GuardianState(epoch.bootCounter(), save.pending()).save(folder);
                } catch (IOException e) {
                    stateError(nowNanos, "cannot save the pending reset witnesses: " + e.getMessage());
                }
            }
        }
    }

    private void pulseReset(GuardianAction.PulseReset pulse, long nowNanos) {
        try {
            if (!line.pulseReset(pulse.width())) {
                stateError(nowNanos, "the reset line was still asserted; this pulse was not given");
            }
        } catch (GpioException e) {
            stateError(nowNanos, "cannot pulse the reset line: " + e.getMessage());
        }
    }

    private void write(byte[] frame) {
        if (wire == null) {
            return;
        }
        try {
            wire.write(frame);
        } catch (IOException e) {
            // The transport reports the broken connection itself (onClosed), which stops the link.
            Logger.warn("guardian: a frame was not written: {}", e.getMessage());
        }
    }

    private void write(GuardianEvent event) {
        try {
            log.write(event);
        } catch (IOException e) {
            Logger.error("guardian: cannot write its log ({}): {} {} {}", e.getMessage(), event.code(),
                    event.reason(), event.text());
        }
    }

    private void stateError(long nowNanos, String text) {
        Logger.error("guardian: {}", text);
        write(new GuardianEvent(GuardianCode.STATE_ERROR, epoch.monotonicMs(nowNanos), "", "", text, Map.of(), true));
    }

    private GuardianAction record(long nowNanos, GuardianCode code, String text, boolean durable) {
        return new GuardianAction.Record(new GuardianEvent(code, epoch.monotonicMs(nowNanos), "", "", text, Map.of(),
                durable));
    }
}
