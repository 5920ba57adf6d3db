package io.waveos.agent.platform.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the JDK does not offer: signalling process groups, looking up a user's primary
 * group, process priorities (setpriority, ioprio_set) and writing to AF_UNIX datagram sockets (systemd's notify socket). JNA direct mapping; see
 * docs/adr/0002-jna.md.
 *
 * <p>Each call returns -1 on failure; {@link #errno()} then holds the OS error ({@code getpwnam_r}
 * returns the error instead).
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int ESRCH = 3;
    static final int EPERM = 1;
    static final int ERANGE = 34;

    static {
        Native.register("c");
    }

    private LibC() {
    }

    /** kill(2): a negative pid addresses a process group. */
    static native int kill(int pid, int signal);

    static native int getpid();

    static final int PRIO_PROCESS = 0;
    static final int PRIO_PGRP = 1;

    /** setpriority(2): with {@link #PRIO_PGRP}, every process of the group {@code who}. */
    static native int setpriority(int which, int who, int prio);

    /**
     * syscall(2) for calls glibc does not wrap (ioprio_set). Declared with fixed arguments: on the
     * supported ABIs (x86-64, aarch64, arm) integer arguments of a variadic call travel the same way.
     */
    static native long syscall(long number, long a, long b, long c);

    static native int socket(int domain, int type, int protocol);

    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    static native int close(int fd);

    /**
     * getpwnam_r(3): looks a user up through NSS. Returns 0 and stores {@code pwd} into {@code *result}
     * when found, 0 with a null {@code *result} when there is no such user, else an errno value
     * ({@link #ERANGE} when {@code buf} is too small). {@code struct passwd} starts with two pointers
     * ({@code pw_name}, {@code pw_passwd}) followed by the 32-bit {@code pw_uid} and {@code pw_gid}.
     */
    static native int getpwnam_r(String name, Pointer pwd, Pointer buf, NativeLong bufferLength, Pointer result);

    static int errno() {
        return Native.getLastError();
    }
}
