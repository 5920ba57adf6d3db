/*
 * crashloop: a test service for the crash-to-restart benchmark (bench/run-benchmarks.sh).
 *
 * On start it appends "start <CLOCK_REALTIME ns>\n" to a file, then at once appends
 * "exit <ns>\n" and calls _exit(1). Each line is a single write(2) on an O_APPEND descriptor, so
 * lines from consecutive instances never interleave.
 *
 * The file is argv[1], or $CRASHLOOP_FILE when no argument is given.
 * Build: gcc -O2 -o crashloop crashloop.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void stamp(int fd, const char *what) {
    struct timespec ts;
    char line[64];
    clock_gettime(CLOCK_REALTIME, &ts);
    int n = snprintf(line, sizeof line, "%s %lld\n", what,
                     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    if (write(fd, line, (size_t)n) != n) {
        _exit(3);
    }
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : getenv("CRASHLOOP_FILE");
    if (path == NULL || *path == '\0') {
        static const char usage[] = "usage: crashloop FILE (or CRASHLOOP_FILE=FILE)\n";
        (void)!write(2, usage, sizeof usage - 1);
        _exit(2);
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        _exit(2);
    }
    stamp(fd, "start");
    stamp(fd, "exit");
    _exit(1);
}
