#!/usr/bin/python3
"""WaveOS agent benchmarks: crash-to-restart latency, idle footprint, start-to-READY.

Driven by bench/run-benchmarks.sh; each subcommand can also be run on its own:

  wbench.py crash    --jar J --work DIR --crashloop BIN [--restarts N] [--sv-restarts N] [--warmup N]
                     [--agent-flag FLAG]...
  wbench.py cds      --jar J --work DIR                      (creates DIR/agent.jsa)
  wbench.py idle     --jar J --work DIR [--warmup-seconds S] [--seconds S] [--cds ARCHIVE]
                     [--variant LABEL=FLAG[,FLAG...]]...
  wbench.py ready    --jar J --work DIR [--runs N] [--cds ARCHIVE] [--variant LABEL=FLAG[,FLAG...]]...
  wbench.py latency  STAMPS [--skip N] [--limit N]
  wbench.py table    --work DIR                              (the table run-benchmarks.sh prints)

JVM flags: the systemd unit's (UNIT_FLAGS below) plus the variant's. Agents get their own state and
log folders under DIR; the 10 idle services are `sleep 100000`.

Every subcommand that measures writes DIR/<name>.json and prints it. Only processes this script
starts are ever signalled: each is started in its own session, stopped with SIGTERM to its pid, and
(if it does not stop within the timeout) its process group is SIGKILLed. Every supervised service
carries WBENCH_TAG=<tag> in its environment; a final sweep SIGKILLs any process still carrying this
run's tag (it can only be one of ours).
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

# The JVM flags the systemd unit ships (packaging/systemd/waveos-agent.service, less the CDS ones).
# Until issue #3 the unit also had -XX:TieredStopAtLevel=1 (C1 only); pass it as a variant flag to
# compare.
UNIT_FLAGS = ["-Xmx32m", "-Xss256k", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"]
IDLE_SERVICES = 10
CLK_TCK = os.sysconf("SC_CLK_TCK")
JAVA = os.environ.get("JAVA", "java")
SUPERVISORD = os.environ.get("SUPERVISORD", "supervisord")


# ---------------------------------------------------------------------------------------------
# statistics


def percentile(sorted_values, p):
    """Nearest-rank percentile (p in 0..100) of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100)
    return sorted_values[int(rank) - 1]


def summary(values, digits=3):
    s = sorted(values)
    if not s:
        return {"count": 0}
    return {"count": len(s), "median": round(statistics.median(s), digits), "p50": round(percentile(s, 50), digits), "p90": round(percentile(s, 90), digits),
            "p99": round(percentile(s, 99), digits), "max": round(s[-1], digits), "min": round(s[0], digits),
            "mean": round(statistics.fmean(s), digits)}


def read_stamps(path):
    starts, exits = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    (starts if parts[0] == "start" else exits).append(int(parts[1]))
    except FileNotFoundError:
        pass
    return starts, exits


def latencies(path):
    """Latency_i = start_{i+1} - exit_i in ms (lines are appended in order: i-th exit is i-th start's)."""
    starts, exits = read_stamps(path)
    return [(starts[i + 1] - exits[i]) / 1e6 for i in range(min(len(exits), len(starts) - 1))]


# ---------------------------------------------------------------------------------------------
# process handling


class Owned:
    """A process this script started in its own session (pid == pgid)."""

    def __init__(self, argv, log, env=None):
        self.argv = argv
        self.log = open(log, "wb")
        self.launch_mono_ns = time.monotonic_ns()
        self.launch_wall_ns = time.time_ns()
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env, start_new_session=True)
        self.pid = self.proc.pid

    def stop(self, timeout=60):
        """SIGTERM to the pid; SIGKILL to its own process group if it has not exited in time."""
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                sys.stderr.write(f"wbench: pid {self.pid} ignored SIGTERM for {timeout}s; SIGKILL to its group\n")
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def sweep_tagged(tag):
    """SIGKILL any process whose environment carries WBENCH_TAG=<tag> (services of ours left behind)."""
    entry = f"WBENCH_TAG={tag}".encode()
    killed = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if entry in f.read().split(b"\0"):
                    os.kill(int(name), signal.SIGKILL)
                    killed.append(int(name))
        except (OSError, ProcessLookupError):
            pass
    if killed:
        sys.stderr.write(f"wbench: swept leftover tagged processes {killed}\n")
    return killed


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def kib(value):
    return int(value.split()[0])


def thread_cpu(pid):
    """{tid: (name, utime+stime ticks, on-CPU ns from schedstat)} for every thread of pid."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
            name = head.split("(", 1)[1]
            fields = tail.split()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
            out[int(tid)] = (name, int(fields[11]) + int(fields[12]), ns)
        except (OSError, IndexError, ValueError):
            pass
    return out


def thread_breakdown(before, after, window):
    """Per thread name (numbered threads grouped), CPU ms over the window, largest first."""
    groups = {}
    for tid, (name, ticks, ns) in after.items():
        _, ticks0, ns0 = before.get(tid, (name, 0, 0))
        key = name.rstrip("0123456789") + "N" if name[-1:].isdigit() else name
        g = groups.setdefault(key, {"threads": 0, "cpu_ms": 0.0})
        g["threads"] += 1
        g["cpu_ms"] += (ns - ns0) / 1e6
    for g in groups.values():
        g["cpu_ms"] = round(g["cpu_ms"], 1)
        g["cpu_percent"] = round(100 * g["cpu_ms"] / 1000 / window, 4)
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]["cpu_ms"]))


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime (14) + stime (15), counted after "pid (comm)"


# ---------------------------------------------------------------------------------------------
# configurations


def agent_yaml(directory, services, tag):
    lines = ["schema_version: 1", "device_id: wbench",
             f"paths: {{state: {directory}/state, logs: {directory}/logs}}", "services:"]
    for s in services:
        lines.append(f"  - name: {s['name']}")
        lines.append("    command: [" + ", ".join(json.dumps(a) for a in s["command"]) + "]")
        lines.append(f"    env: {{WBENCH_TAG: \"{tag}\"}}")
        if "restart" in s:
            lines.append(f"    restart: {s['restart']}")
    path = os.path.join(directory, "agent.yaml")
    os.makedirs(directory, exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def supervisord_conf(directory, programs, tag):
    os.makedirs(directory, exist_ok=True)
    lines = ["[supervisord]", "nodaemon=true", f"logfile={directory}/supervisord.log",
             f"pidfile={directory}/supervisord.pid", f"childlogdir={directory}", "loglevel=warn", ""]
    for p in programs:
        lines += [f"[program:{p['name']}]", "command=" + " ".join(p["command"]),
                  f"environment=WBENCH_TAG=\"{tag}\"",
                  f"stdout_logfile={directory}/{p['name']}.stdout.log",
                  f"stderr_logfile={directory}/{p['name']}.stderr.log"]
        lines += p.get("extra", [])
        lines.append("")
    path = os.path.join(directory, "supervisord.conf")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def agent_argv(jar, config, extra_flags=()):
    return [JAVA, *UNIT_FLAGS, *extra_flags, "-jar", jar, "agent", "--config", config]


def check_config(jar, config):
    r = subprocess.run([JAVA, "-jar", jar, "agent", "--check-config", config], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"config check failed for {config}:\n{r.stdout}{r.stderr}")


def idle_services():
    return [{"name": f"idle{i}", "command": ["sleep", "100000"]} for i in range(IDLE_SERVICES)]


def events_file(directory):
    return os.path.join(directory, "logs", "runs", "current", "events.jsonl")


def read_events(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def rfc3339_ns(text):
    """'2026-01-02T03:04:05.678Z' -> ns since the epoch (UTC)."""
    import calendar
    date, _, rest = text.partition("T")
    clock = rest.rstrip("Z")
    hms, _, frac = clock.partition(".")
    y, mo, d = (int(x) for x in date.split("-"))
    h, mi, s = (int(x) for x in hms.split(":"))
    seconds = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    return seconds * 10**9 + int((frac or "0").ljust(9, "0")[:9])


# ---------------------------------------------------------------------------------------------
# 1. crash-to-restart latency


AGENT_CRASH_RESTART = ("{policy: always, backoff: {initial: 0s, max: 0s, factor: 1, jitter: 0, reset_after: 60s}, "
                       "intensity: {max: 100000, within: 1s}}")


def run_crashloop(label, argv, stamps, wanted_starts, log, timeout):
    """Runs a supervisor until the stamp file holds `wanted_starts` starts, then SIGTERMs it."""
    if os.path.exists(stamps):
        os.remove(stamps)
    owner = Owned(argv, log)
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        starts, _ = read_stamps(stamps)
        if len(starts) >= wanted_starts:
            break
        if owner.proc.poll() is not None:
            break
        if time.monotonic() > deadline:
            timed_out = True
            break
        time.sleep(0.02)
    wall = (time.monotonic_ns() - owner.launch_mono_ns) / 1e9
    rc = owner.stop()
    return {"label": label, "exit_code": rc, "timed_out": timed_out, "seconds": round(wall, 1)}


def agent_breakdown(stamps, events_path, skip, limit):
    """Splits each restart with the agent's own events (ms resolution, so means over many restarts):
    exit stamp -> service.exited (exit noticed), service.exited -> service.starting (loop work before
    the spawn), service.starting -> next start stamp (spawn: fork/exec of jspawnhelper, setsid, crashloop).
    Event times are truncated to the ms: 0.5 ms is added to estimate the true instant."""
    starts, exits = read_stamps(stamps)
    events = read_events(events_path)
    exited = [rfc3339_ns(e["time"]) + 500_000 for e in events if e["code"] == "service.exited"]
    starting = [rfc3339_ns(e["time"]) + 500_000 for e in events if e["code"] == "service.starting"]
    detect, loop, spawn = [], [], []
    n = min(len(exits), len(exited), len(starting) - 1, len(starts) - 1)
    for i in range(skip, min(n, skip + limit)):
        detect.append((exited[i] - exits[i]) / 1e6)
        loop.append((starting[i + 1] - exited[i]) / 1e6)
        spawn.append((starts[i + 1] - starting[i + 1]) / 1e6)
    return {"exit_to_exited_event": summary(detect, 2), "exited_to_starting_event": summary(loop, 2),
            "starting_event_to_next_start": summary(spawn, 2)}


def cmd_crash(a):
    work = a.work
    tag = a.tag
    results = {}
    wanted = a.warmup + a.restarts + 1
    # The agent.
    d = os.path.join(work, "crash-agent")
    stamps = os.path.join(d, "stamps.txt")
    cfg = agent_yaml(d, [{"name": "crashloop", "command": [a.crashloop, stamps], "restart": AGENT_CRASH_RESTART}],
                     tag)
    check_config(a.jar, cfg)
    run = run_crashloop("agent", agent_argv(a.jar, cfg, a.agent_flags), stamps, wanted,
                        os.path.join(d, "agent.out"), a.timeout)
    lat = latencies(stamps)
    run.update(summary(lat[a.warmup:a.warmup + a.restarts]))
    run["recorded_total"] = len(lat)
    run["breakdown_ms"] = agent_breakdown(stamps, events_file(d), a.warmup, a.restarts)
    results["agent"] = run
    # supervisord, same service, same machine, right after.
    if a.sv_restarts > 0:
        d = os.path.join(work, "crash-supervisord")
        stamps = os.path.join(d, "stamps.txt")
        conf = supervisord_conf(d, [{"name": "crashloop", "command": [a.crashloop, stamps],
                                     "extra": ["startsecs=0", "autorestart=true", "startretries=1000000"]}], tag)
        run = run_crashloop("supervisord", [SUPERVISORD, "-c", conf, "-n"], stamps, a.warmup + a.sv_restarts + 1,
                            os.path.join(d, "supervisord.out"), a.timeout)
        lat = latencies(stamps)
        run.update(summary(lat[a.warmup:a.warmup + a.sv_restarts]))
        run["recorded_total"] = len(lat)
        results["supervisord"] = run
    results["warmup_restarts_skipped"] = a.warmup
    sweep_tagged(tag)
    return save(work, "crash", results)


# ---------------------------------------------------------------------------------------------
# 2. idle footprint


def wait_for_event(path, code, timeout, owner=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if owner is not None and owner.proc.poll() is not None:
            raise SystemExit(f"pid {owner.pid} exited with {owner.proc.returncode} before {code}; see {owner.log.name}")
        try:
            with open(path) as f:
                for line in f:
                    if f'"code":"{code}"' in line:
                        return json.loads(line)
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"no {code} event in {path} within {timeout}s")


def agent_variants(a):
    """[(label, extra JVM flags)]: the unit's flags, with AppCDS when an archive is given, then any
    --variant LABEL=FLAG[,FLAG...] ("{cds}" in a flag is replaced by the archive's path)."""
    variants = [("agent", [])]
    if a.cds:
        variants.append(("agent+AppCDS", [f"-XX:SharedArchiveFile={a.cds}"]))
    for spec in a.variant:
        label, _, flags = spec.partition("=")
        variants.append((label, [f.replace("{cds}", a.cds or "") for f in flags.split(",") if f]))
    return variants


def folder_name(label):
    return "".join(c if c.isalnum() else "-" for c in label).lower()


def uses_archive(pid, flags):
    """True/False when flags name a shared archive: is it mapped into pid? None when they name none."""
    archives = [f.split("=", 1)[1] for f in flags if f.startswith("-XX:SharedArchiveFile=")]
    if not archives:
        return None
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return all(path in maps for path in archives)


def cmd_idle(a):
    work, tag = a.work, a.tag
    subjects = []
    for label, flags in agent_variants(a):
        d = os.path.join(work, "idle-" + folder_name(label))
        cfg = agent_yaml(d, idle_services(), tag)
        check_config(a.jar, cfg)
        subjects.append({"label": label, "owner": Owned(agent_argv(a.jar, cfg, flags), os.path.join(d, "agent.out")),
                         "ready": events_file(d), "flags": UNIT_FLAGS + flags})
    d = os.path.join(work, "idle-supervisord")
    conf = supervisord_conf(d, [{"name": s["name"], "command": s["command"]} for s in idle_services()], tag)
    subjects.append({"label": "supervisord", "owner": Owned([SUPERVISORD, "-c", conf, "-n"],
                                                           os.path.join(d, "supervisord.out")), "ready": None})
    try:
        for s in subjects:
            if s["ready"]:
                wait_for_event(s["ready"], "systemd.ready", 60, s["owner"])
        time.sleep(a.warmup_seconds)
        t0 = time.monotonic()
        for s in subjects:
            s["ticks0"] = cpu_ticks(s["owner"].pid)
            s["threads0"] = thread_cpu(s["owner"].pid)
            s["rss"] = []
        end = t0 + a.seconds
        next_sample = t0
        while True:
            now = time.monotonic()
            if now >= end:
                break
            if now >= next_sample:
                for s in subjects:
                    s["rss"].append(kib(proc_status(s["owner"].pid)["VmRSS"]))
                next_sample += 1.0
            time.sleep(min(0.2, max(0.0, min(next_sample, end) - time.monotonic())))
        elapsed = time.monotonic() - t0
        results = {"window_seconds": round(elapsed, 2), "warmup_seconds": a.warmup_seconds, "services": IDLE_SERVICES}
        for s in subjects:
            ticks = cpu_ticks(s["owner"].pid) - s["ticks0"]
            threads1 = thread_cpu(s["owner"].pid)
            st = proc_status(s["owner"].pid)
            children = count_children(s["owner"].pid)
            results[s["label"]] = {
                "pid": s["owner"].pid,
                "rss_median_mib": round(statistics.median(s["rss"]) / 1024, 1),
                "rss_max_mib": round(max(s["rss"]) / 1024, 1),
                "rss_samples": len(s["rss"]),
                "rss_anon_mib": round(kib(st["RssAnon"]) / 1024, 1),
                "rss_file_mib": round(kib(st["RssFile"]) / 1024, 1),
                "threads": int(st["Threads"]),
                "cpu_ticks": ticks,
                "cpu_percent": round(100.0 * ticks / CLK_TCK / elapsed, 3),
                "cpu_percent_schedstat": round(sum(t[2] for t in threads1.values()) / 1e7 / elapsed
                                               - sum(t[2] for t in s["threads0"].values()) / 1e7 / elapsed, 3),
                "cpu_by_thread": thread_breakdown(s["threads0"], threads1, elapsed),
                "children": children,
                "flags": s.get("flags"),
                "archive_mapped": uses_archive(s["owner"].pid, s.get("flags") or []),
            }
    finally:
        for s in subjects:
            s["exit_code"] = s["owner"].stop()
        sweep_tagged(tag)
    for s in subjects:
        if s["label"] in results:
            results[s["label"]]["exit_code"] = s["exit_code"]
    return save(work, "idle", results)


def count_children(pid):
    n = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        n += 1
            except OSError:
                pass
    return n


# ---------------------------------------------------------------------------------------------
# AppCDS archive


def await_ready(sock, owner, timeout):
    """Waits for READY=1 on the notify socket; returns its arrival (monotonic ns)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            break
        if b"READY=1" in data.split(b"\n"):
            return time.monotonic_ns()
        if owner.proc.poll() is not None:
            break
    raise SystemExit(f"no READY=1 from pid {owner.pid} within {timeout}s (exit code {owner.proc.poll()})")


def notify_socket(work):
    path = os.path.join(work, "notify.sock")
    if os.path.exists(path):
        os.remove(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    return s, path


def cmd_cds(a):
    work, tag = a.work, a.tag
    archive = os.path.join(work, "agent.jsa")
    if os.path.exists(archive):
        os.remove(archive)
    d = os.path.join(work, "cds-dump")
    cfg = agent_yaml(d, idle_services(), tag)
    sock, sock_path = notify_socket(work)
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    owner = Owned(agent_argv(a.jar, cfg, [f"-XX:ArchiveClassesAtExit={archive}"]), os.path.join(d, "agent.out"), env)
    try:
        await_ready(sock, owner, 60)
        time.sleep(6)  # let the flush (1 s) and watchdog (5 s) timers run once, so their classes load too
    finally:
        rc = owner.stop()
        sock.close()
        sweep_tagged(tag)
    if not os.path.exists(archive):
        raise SystemExit(f"no archive written at {archive} (agent exit code {rc})")
    check = subprocess.run([JAVA, *UNIT_FLAGS, f"-XX:SharedArchiveFile={archive}", "-Xshare:on", "-jar", a.jar,
                            "agent", "--check-config", cfg], capture_output=True, text=True)
    result = {"archive": archive, "bytes": os.path.getsize(archive), "dump_exit_code": rc,
              "usable_with_Xshare_on": check.returncode == 0}
    return save(work, "cds", result)


# ---------------------------------------------------------------------------------------------
# 3. start to READY


def cmd_ready(a):
    work, tag = a.work, a.tag
    variants = agent_variants(a)
    sock, sock_path = notify_socket(work)
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    samples = {label: {"notify_ms": [], "event_ms": [], "exit_codes": [], "archive_mapped": set()}
               for label, _ in variants}
    configs = {}
    for label, _ in variants:
        d = os.path.join(work, "ready-" + folder_name(label))
        configs[label] = (d, agent_yaml(d, idle_services(), tag))
        check_config(a.jar, configs[label][1])
    try:
        for i in range(a.runs):
            for label, flags in variants:  # interleaved, so drift on the machine hits both alike
                d, cfg = configs[label]
                owner = Owned(agent_argv(a.jar, cfg, flags), os.path.join(d, f"agent-{i}.out"), env)
                try:
                    t_ready = await_ready(sock, owner, 60)
                    samples[label]["archive_mapped"].add(uses_archive(owner.pid, flags))
                finally:
                    rc = owner.stop()
                samples[label]["notify_ms"].append((t_ready - owner.launch_mono_ns) / 1e6)
                ev = wait_for_event(events_file(d), "systemd.ready", 5)
                samples[label]["event_ms"].append((rfc3339_ns(ev["time"]) - owner.launch_wall_ns) / 1e6)
                samples[label]["exit_codes"].append(rc)
                time.sleep(0.3)
    finally:
        sock.close()
        sweep_tagged(tag)
    results = {"runs": a.runs, "services": IDLE_SERVICES}
    for label, s in samples.items():
        results[label] = {"notify": summary(s["notify_ms"], 1), "event": summary(s["event_ms"], 1),
                          "notify_ms": [round(x, 1) for x in s["notify_ms"]],
                          "exit_codes": sorted(set(s["exit_codes"])),
                          "archive_mapped": sorted(s["archive_mapped"], key=str), "flags": UNIT_FLAGS + dict(variants)[label]}
    return save(work, "ready", results)


# ---------------------------------------------------------------------------------------------
# output


LOAD_BEFORE = None


def save(work, name, results):
    results["loadavg_before"] = LOAD_BEFORE
    results["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))
    return results


def cmd_table(a):
    work = a.work
    load = {}
    for name in ("crash", "idle", "ready", "cds"):
        p = os.path.join(work, name + ".json")
        if os.path.exists(p):
            with open(p) as f:
                load[name] = json.load(f)
    c = load.get("crash", {})
    print("1. Crash-to-restart latency (ms; start of next instance minus exit of previous; "
          f"first {c.get('warmup_restarts_skipped', '?')} restarts skipped)")
    print(f"   {'supervisor':<14}{'count':>7}{'p50':>10}{'p90':>10}{'p99':>10}{'max':>10}   target p50<=5 p99<=20")
    for label in ("agent", "supervisord"):
        r = c.get(label)
        if r:
            verdict = ""
            if label == "agent":
                verdict = "   " + ("MET" if r["p50"] <= 5 and r["p99"] <= 20 else "MISSED")
            print(f"   {label:<14}{r['count']:>7}{r['p50']:>10}{r['p90']:>10}{r['p99']:>10}{r['max']:>10}{verdict}")
    b = c.get("agent", {}).get("breakdown_ms")
    if b:
        print("   agent breakdown (means, ms): exit->service.exited "
              f"{b['exit_to_exited_event']['mean']}, exited->starting {b['exited_to_starting_event']['mean']}, "
              f"starting->next start {b['starting_event_to_next_start']['mean']}")
    i = load.get("idle", {})
    print(f"2. Idle footprint, {i.get('services', '?')} idle services, {i.get('window_seconds', '?')} s window "
          f"after {i.get('warmup_seconds', '?')} s warm-up")
    print(f"   {'process':<26}{'RSS med MiB':>12}{'RSS max MiB':>12}{'CPU %':>9}{'threads':>9}   target RSS<=64 CPU<=0.1")
    labels = [k for k, v in i.items() if isinstance(v, dict) and k != "supervisord"] + ["supervisord"]
    for label in labels:
        r = i.get(label)
        if r:
            verdict = ""
            if label.startswith("agent"):
                verdict = "   " + ("MET" if r["rss_max_mib"] <= 64 and r["cpu_percent"] <= 0.1 else "MISSED")
            if r.get("archive_mapped") is False:
                verdict += " (archive NOT mapped)"
            print(f"   {label:<26}{r['rss_median_mib']:>12}{r['rss_max_mib']:>12}{r['cpu_percent']:>9}"
                  f"{r['threads']:>9}{verdict}")
    r = load.get("ready", {})
    print(f"3. Start to READY=1, {r.get('services', '?')} services, {r.get('runs', '?')} runs each (ms from launch)")
    print(f"   {'variant':<26}{'median':>9}{'min':>9}{'max':>9}{'event-median':>14}")
    for label in [k for k, v in r.items() if isinstance(v, dict)]:
        x = r.get(label)
        if x:
            print(f"   {label:<26}{x['notify']['median']:>9}{x['notify']['min']:>9}{x['notify']['max']:>9}"
                  f"{x['event']['median']:>14}" + ("  (archive NOT mapped)" if False in x.get("archive_mapped", []) else ""))
    print("   load average (1 min) before/after: " + ", ".join(
        f"{n} {load[n].get('loadavg_before', ['?'])[0]}/{load[n].get('loadavg_after', ['?'])[0]}"
        for n in ("crash", "idle", "ready") if n in load))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--jar", required=True)
        sp.add_argument("--work", required=True)
        sp.add_argument("--tag", default=f"wbench-{os.getpid()}")

    sp = sub.add_parser("crash")
    common(sp)
    sp.add_argument("--crashloop", required=True)
    sp.add_argument("--restarts", type=int, default=500)
    sp.add_argument("--sv-restarts", type=int, default=200)
    sp.add_argument("--warmup", type=int, default=10)
    sp.add_argument("--timeout", type=float, default=900)
    sp.add_argument("--agent-flag", dest="agent_flags", action="append", default=[],
                    help="extra JVM flag for the agent (diagnostics), may repeat")
    sp = sub.add_parser("idle")
    common(sp)
    sp.add_argument("--warmup-seconds", type=float, default=10)
    sp.add_argument("--seconds", type=float, default=60)
    sp.add_argument("--cds")
    sp.add_argument("--variant", action="append", default=[],
                    help="another agent variant, LABEL=FLAG[,FLAG...] ({cds} = the archive), may repeat")
    sp = sub.add_parser("cds")
    common(sp)
    sp = sub.add_parser("ready")
    common(sp)
    sp.add_argument("--runs", type=int, default=10)
    sp.add_argument("--cds")
    sp.add_argument("--variant", action="append", default=[],
                    help="another agent variant, LABEL=FLAG[,FLAG...] ({cds} = the archive), may repeat")
    sp = sub.add_parser("latency")
    sp.add_argument("stamps")
    sp.add_argument("--skip", type=int, default=0)
    sp.add_argument("--limit", type=int)
    sp = sub.add_parser("table")
    sp.add_argument("--work", required=True)
    a = p.parse_args()
    global LOAD_BEFORE
    LOAD_BEFORE = [round(x, 2) for x in os.getloadavg()]
    a.work = os.path.abspath(a.work) if hasattr(a, "work") else None
    if a.cmd == "latency":
        v = latencies(a.stamps)[a.skip:]
        print(json.dumps(summary(v if a.limit is None else v[:a.limit])))
        return
    if a.cmd != "table":
        a.jar = os.path.abspath(a.jar)
        os.makedirs(a.work, exist_ok=True)
    {"crash": cmd_crash, "idle": cmd_idle, "cds": cmd_cds, "ready": cmd_ready, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
