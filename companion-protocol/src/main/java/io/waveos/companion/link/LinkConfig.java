package io.waveos.companion.link;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing and the bounds of one {@link LinkSession}. Both ends of a link should use the same beat
 * period and misses, since each judges the other's silence by its own settings.
 *
 * @param heartbeatPeriod how often each side sends a beat (the device a Heartbeat, the Guardian a
 *     TimeWitness); also the unit of loss detection
 * @param missesBeforeLost the link is LOST when nothing at all was heard from the peer for this many
 *     heartbeat periods
 * @param retransmitInterval how often an unanswered request is sent again with its original seq; the
 *     latest beat is also repeated at this interval until the next one is due (so a noisy line loses
 *     a whole period only if every copy is lost). Set it to at least {@code heartbeatPeriod} to send
 *     each beat once.
 * @param requestTimeout a request not answered within this is failed as
 *     {@link RequestFailure#TIMED_OUT}; the Guardian forgets a delivered request that its owner has
 *     not answered within this
 * @param helloRetryInterval how often the device repeats an unanswered Hello, and the least time
 *     between two unsolicited HelloAcks from a Guardian without a session
 * @param maxOutstandingRequests device: requests waiting for an answer; Guardian: delivered requests
 *     waiting for its owner's reply (more are answered ERROR_CODE_BUSY)
 * @param maxRememberedRequests Guardian: answered request ids whose decision is kept to answer a
 *     repeat of the request without delivering it again (oldest forgotten first)
 */
public record LinkConfig(
        Duration heartbeatPeriod,
        int missesBeforeLost,
        Duration retransmitInterval,
        Duration requestTimeout,
        Duration helloRetryInterval,
        int maxOutstandingRequests,
        int maxRememberedRequests) {

    /** Longest period or timeout accepted, so that deadlines stay far from overflow. */
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final int MAX_MISSES = 1000;
    public static final int MAX_OUTSTANDING_REQUESTS = 1024;
    public static final int MAX_REMEMBERED_REQUESTS = 65_536;

    /** 1 s beats, lost after 3 misses, retransmit every 250 ms, 5 s timeout, Hello every 500 ms, 8 outstanding, 64 remembered. */
    public static final LinkConfig DEFAULTS = new LinkConfig(Duration.ofSeconds(1), 3, Duration.ofMillis(250),
            Duration.ofSeconds(5), Duration.ofMillis(500), 8, 64);

    public LinkConfig {
        requirePositive("heartbeat_period", heartbeatPeriod);
        requirePositive("retransmit_interval", retransmitInterval);
        requirePositive("request_timeout", requestTimeout);
        requirePositive("hello_retry_interval", helloRetryInterval);
        requireRange("misses_before_lost", missesBeforeLost, 1, MAX_MISSES);
        requireRange("max_outstanding_requests", maxOutstandingRequests, 1, MAX_OUTSTANDING_REQUESTS);
        requireRange("max_remembered_requests", maxRememberedRequests, 1, MAX_REMEMBERED_REQUESTS);
        if (retransmitInterval.compareTo(requestTimeout) > 0) {
            throw new IllegalArgumentException("link.retransmit_interval: expected at most request_timeout ("
                    + requestTimeout + "), was " + retransmitInterval);
        }
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, "link." + key);
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "link." + key + ": expected a duration above 0 and at most " + MAX_DURATION + ", was " + value);
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "link." + key + ": expected " + min + ".." + max + ", was " + value);
        }
    }

    /** How long the peer may be silent before the link is LOST: {@code missesBeforeLost × heartbeatPeriod}. */
    public Duration lossTimeout() {
        return heartbeatPeriod.multipliedBy(missesBeforeLost);
    }

    public LinkConfig withHeartbeatPeriod(Duration value) {
        return new LinkConfig(value, missesBeforeLost, retransmitInterval, requestTimeout, helloRetryInterval,
                maxOutstandingRequests, maxRememberedRequests);
    }

    public LinkConfig withMissesBeforeLost(int value) {
        return new LinkConfig(heartbeatPeriod, value, retransmitInterval, requestTimeout, helloRetryInterval,
                maxOutstandingRequests, maxRememberedRequests);
    }

    public LinkConfig withRetransmitInterval(Duration value) {
        return new LinkConfig(heartbeatPeriod, missesBeforeLost, value, requestTimeout, helloRetryInterval,
                maxOutstandingRequests, maxRememberedRequests);
    }

    public LinkConfig withRequestTimeout(Duration value) {
        return new LinkConfig(heartbeatPeriod, missesBeforeLost, retransmitInterval, value, helloRetryInterval,
                maxOutstandingRequests, maxRememberedRequests);
    }

    public LinkConfig withHelloRetryInterval(Duration value) {
        return new LinkConfig(heartbeatPeriod, missesBeforeLost, retransmitInterval, requestTimeout, value,
                maxOutstandingRequests, maxRememberedRequests);
    }

    public LinkConfig withMaxOutstandingRequests(int value) {
        return new LinkConfig(heartbeatPeriod, missesBeforeLost, retransmitInterval, requestTimeout,
                helloRetryInterval, value, maxRememberedRequests);
    }

    public LinkConfig withMaxRememberedRequests(int value) {
        return new LinkConfig(heartbeatPeriod, missesBeforeLost, retransmitInterval, requestTimeout,
                helloRetryInterval, maxOutstandingRequests, value);
    }
}
