package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.ServiceNotifier;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * systemd's notification protocol ({@code sd_notify}) without libsystemd and without spawning
 * {@code systemd-notify}: one AF_UNIX datagram per state, sent with libc through JNA.
 *
 * <p>{@code NOTIFY_SOCKET} is a file-system path ({@code /run/...}) or an abstract address
 * ({@code @name}). Without it, or when it cannot be used (another address family, too long), every
 * call is a no-op; an unusable value is reported once at construction. The socket is opened on the
 * first {@link #notify} and reused.
 *
 * <p>A failed send never reaches the caller: it is counted ({@link #failures()}) and reported to the
 * error stream once per distinct errno. Sends block like {@code sd_notify}'s when the manager's queue
 * is full.
 *
 * <p>Thread-safe.
 */
public final class SystemdNotifier implements ServiceNotifier, AutoCloseable {
    /** {@code sizeof(sockaddr_un.sun_path)} on Linux. */
    static final int MAX_PATH_BYTES = 108;
    private static final int FAMILY_BYTES = 2;
    /** Stands in for an errno when libc itself could not be bound. */
    private static final int NO_LIBC = -1;

    private final PrintStream errors;
    private final Optional<String> socketName;
    private final Optional<byte[]> address;
    private final Optional<Duration> watchdogInterval;
    private final Set<Integer> reportedErrnos = new HashSet<>();
    private int fd = -1;
    private long failures;

    /** @param environment the process environment; {@link System#getenv()} in production */
    public SystemdNotifier(Map<String, String> environment) {
        this(environment, ProcessHandle.current().pid(), System.err);
    }

    SystemdNotifier(Map<String, String> environment, long ourPid, PrintStream errors) {
        this.errors = errors;
        this.socketName = Optional.ofNullable(environment.get("NOTIFY_SOCKET")).filter(s -> !s.isEmpty());
        this.address = socketName.flatMap(this::addressOrReport);
        this.watchdogInterval = address.isPresent()
                ? watchdogInterval(environment, ourPid, errors)
                : Optional.empty();
    }

    @Override
    public synchronized void notify(String state) {
        if (address.isEmpty()) {
            return;
        }
        try {
            send(state);
        } catch (LinkageError e) {
            // libc could not be bound through JNA (e.g. no executable temp dir for its stub): the
            // agent keeps running, and the failure is visible like any other.
            if (fail("loading libc through JNA to send", state, NO_LIBC)) {
                e.printStackTrace(errors);
            }
        }
    }

    private void send(String state) {
        if (fd < 0) {
            int opened = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            if (opened < 0) {
                fail("socket(AF_UNIX, SOCK_DGRAM) for", state, LibC.errno());
                return;
            }
            fd = opened;
        }
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        byte[] to = address.get();
        if (LibC.sendto(fd, message, message.length, LibC.MSG_NOSIGNAL, to, to.length) < 0) {
            fail("sendto", state, LibC.errno());
        }
    }

    /**
     * {@code WATCHDOG_USEC}, when set, positive, and meant for this process ({@code WATCHDOG_PID}
     * absent or equal to our pid). Empty without a usable {@code NOTIFY_SOCKET}: nobody would hear
     * the pings.
     */
    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    /** Sends that failed since construction. */
    public synchronized long failures() {
        return failures;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0 && LibC.close(fd) < 0) {
            errors.println("systemd notify: close(" + fd + ") failed: " + describe(LibC.errno()));
        }
        fd = -1;
    }

    /**
     * Encodes {@code NOTIFY_SOCKET} as a {@code sockaddr_un}; the array's length is the address
     * length to pass to {@code sendto}. A path gets a trailing NUL; an abstract name ({@code @name})
     * starts with a NUL instead of the '@' and has no trailing NUL.
     *
     * @throws IllegalArgumentException for anything but an absolute path or an abstract name, or one
     *     longer than {@value #MAX_PATH_BYTES} bytes
     */
    static byte[] socketAddress(String notifySocket) {
        boolean isAbstract = notifySocket.startsWith("@");
        if (!isAbstract && !notifySocket.startsWith("/")) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or @abstract name, got '"
                    + notifySocket + "'");
        }
        byte[] name = notifySocket.getBytes(StandardCharsets.UTF_8);
        if (isAbstract) {
            name[0] = 0;
        }
        int pathBytes = isAbstract ? name.length : name.length + 1;
        if (pathBytes > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is " + pathBytes + " bytes, more than the "
                    + MAX_PATH_BYTES + " a sockaddr_un holds: '" + notifySocket + "'");
        }
        ByteBuffer sockaddr = ByteBuffer.allocate(FAMILY_BYTES + pathBytes).order(ByteOrder.nativeOrder());
        sockaddr.putShort((short) LibC.AF_UNIX).put(name);
        return sockaddr.array(); // a path's trailing NUL is the array's last, zeroed byte
    }

    /**
     * The watchdog interval the manager asked of process {@code ourPid}, as {@code sd_watchdog_enabled}
     * reads it. Malformed values are reported to {@code errors} and give empty.
     */
    static Optional<Duration> watchdogInterval(Map<String, String> environment, long ourPid, PrintStream errors) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null) {
            return Optional.empty();
        }
        String pid = environment.get("WATCHDOG_PID");
        if (pid != null) {
            try {
                if (Long.parseLong(pid.trim()) != ourPid) {
                    return Optional.empty(); // meant for another process, e.g. our parent
                }
            } catch (NumberFormatException e) {
                errors.println("systemd notify: ignoring WATCHDOG_USEC because WATCHDOG_PID is not a pid: '"
                        + pid + "'");
                return Optional.empty();
            }
        }
        Optional<Duration> interval = positiveMicros(usec);
        if (interval.isEmpty()) {
            errors.println("systemd notify: ignoring WATCHDOG_USEC, expected a positive number of"
                    + " microseconds, got '" + usec + "'");
        }
        return interval;
    }

    private static Optional<Duration> positiveMicros(String text) {
        try {
            long micros = Long.parseLong(text.trim());
            return micros > 0 ? Optional.of(Duration.of(micros, ChronoUnit.MICROS)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<byte[]> addressOrReport(String notifySocket) {
        try {
            return Optional.of(socketAddress(notifySocket));
        } catch (IllegalArgumentException e) {
            errors.println("systemd notify: disabled: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Counts a failure and reports it when its errno is new; true when it was reported. */
    private boolean fail(String call, String state, int errno) {
        failures++;
        if (!reportedErrnos.add(errno)) {
            return false;
        }
        errors.println("systemd notify: " + call + " '" + state + "' to " + socketName.orElseThrow()
                + " failed: " + describe(errno) + " (further failures with this errno are only counted)");
        return true;
    }

    private static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> " EPERM";
            case 2 -> " ENOENT";
            case 11 -> " EAGAIN";
            case 13 -> " EACCES";
            case 90 -> " EMSGSIZE";
            case 105 -> " ENOBUFS";
            case 111 -> " ECONNREFUSED";
            case NO_LIBC -> " (no libc binding)";
            default -> "";
        };
        return "errno " + errno + name;
    }
}
