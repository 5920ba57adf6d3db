#!/usr/bin/env bash
# Signed-bundle benchmarks of issue #3, next to their peers in one run: see docs/benchmarks.md,
# "Signed bundles (#3)".
#
#   bench/bundle-bench.sh            (knobs: N=5 repetitions, SIZE_MIB=100, WARMUP=3 in-process warm-ups,
#                                     KEEP=1 keeps the temporary folder)
#
# Builds the agent's test classes (mvn -o, this worktree only), then in a temporary folder under /tmp:
# a SIZE_MIB random payload; a WaveOS app bundle of it signed with a fixed test Ed25519 key plus a trust
# root holding that key (io.waveos.agent.bench.BundleBench make); a self-signed test CA (openssl) and a
# RAUC plain bundle of the same payload (rauc bundle). None of that is timed. Then, N rounds, each
# running every variant once in turn (so all see the same machine):
#   1. verify: WaveOS whole-bundle verify in a fresh JVM (the unit's flags; the flags before issue
#      #3 closed, with -XX:TieredStopAtLevel=1 = C1 only), openssl dgst -sha256 of the payload,
#      rauc info --keyring ca.pem of the RAUC bundle; then, as the running agent does it, in one JVM
#      per flag set: trust root loaded (untimed), the first verify, WARMUP warm-ups, N timed.
#   2. install: WaveOS SlotInstaller over LinuxSlotStorage into a fresh state folder (both flag sets,
#      fresh JVM) vs cp + sync, cp + sync -f DEST (syncfs) and cp + sync DEST (fsync of that file);
#      then, as the agent, one JVM per flag set: first install, WARMUP warm-ups, N timed.
# Files stay in the page cache throughout (the payload is read once before the runs): this measures
# CPU and write+fsync cost, not cold reads. Needs java 17, mvn, openssl, rauc, squashfs-tools,
# /usr/bin/python3. Signals nothing; writes only the temporary folder (and target/ via mvn).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
: "${N:=5}" "${SIZE_MIB:=100}" "${WARMUP:=3}"
for tool in java mvn openssl rauc mksquashfs unsquashfs "$PY"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y rauc squashfs-tools)" >&2; exit 1; }
done

(cd "$ROOT" && mvn -B -q -o -pl agent -am test-compile)
WORK="$(mktemp -d /tmp/bundle-bench.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi
# A private copy of the classes: target/ may be rebuilt while this runs.
mkdir -p "$WORK/cp"
cp -r "$ROOT/agent/target/test-classes" "$WORK/cp/agent-test"
cp -r "$ROOT/agent/target/classes" "$WORK/cp/agent"
cp -r "$ROOT/bundles/target/classes" "$WORK/cp/bundles"
CP="$WORK/cp/agent-test:$WORK/cp/agent:$WORK/cp/bundles"
MAIN=io.waveos.agent.bench.BundleBench
# The flags ./waveos and the systemd unit give the agent (full tiered JIT: C2 compiles SHA-256 to the
# CPU's SHA instructions).
UNIT=(-Xmx32m -XX:+UseSerialGC -Xss256k -XX:-UsePerfData)
# The unit's flags until issue #3 closed: C1 only.
UNIT_C1=(-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:-UsePerfData)
B="$WORK/b"
mkdir -p "$B" "$WORK/out"

{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
  echo "sha_ni: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no)"
  echo "/tmp: $(df -T /tmp | awk 'NR==2 {print $2" on "$1}')"
  echo "jdk: $(java -version 2>&1 | sed -n 2p)"
  echo "$(rauc --version), $(openssl version), mksquashfs $(mksquashfs -version 2>&1 | head -1 | awk '{print $3}')"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- bundles agent bench || echo '+dirty')"
  echo "N=$N SIZE_MIB=$SIZE_MIB WARMUP=$WARMUP, load average before: $(cut -d' ' -f1-3 /proc/loadavg), started $(date -u +%FT%TZ)"
} | tee "$WORK/machine.txt"

echo "== setup (not timed) ==" >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$B/payload.bin"
java -cp "$CP" "$MAIN" make "$B"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$B/ca.key.pem" -out "$B/ca.pem" -days 3650 \
  -subj "/O=WaveOS bench/CN=bundle bench test CA" 2>/dev/null
mkdir -p "$B/rauc-in"
cp "$B/payload.bin" "$B/rauc-in/payload.img"
printf '[update]\ncompatible=waveos-bench\nversion=1.2.0\n\n[bundle]\nformat=plain\n\n[image.rootfs]\nfilename=payload.img\n' \
  > "$B/rauc-in/manifest.raucm"
rauc bundle --cert "$B/ca.pem" --key "$B/ca.key.pem" "$B/rauc-in" "$B/bundle.raucb" >/dev/null 2>&1
rm -rf "$B/rauc-in"
# Both verifiers must read every byte: a copy with one byte flipped in the middle must fail each.
half=$(( $(stat -c %s "$B/payload.bin") / 2 ))
for f in app.wbundle bundle.raucb; do
  cp "$B/$f" "$WORK/tampered-$f"
  printf '\x5a' | dd of="$WORK/tampered-$f" bs=1 seek="$half" conv=notrunc status=none
done
mkdir -p "$WORK/tampered" && mv "$WORK/tampered-app.wbundle" "$WORK/tampered/app.wbundle" && cp "$B/trust-root.dsse.json" "$WORK/tampered/"
if java -cp "$CP" "$MAIN" verify "$WORK/tampered" >/dev/null 2>&1; then echo "WaveOS accepted a tampered bundle" >&2; exit 1; fi
if rauc info --keyring "$B/ca.pem" "$WORK/tampered-bundle.raucb" >/dev/null 2>&1; then echo "rauc accepted a tampered bundle" >&2; exit 1; fi
rm -rf "$WORK/tampered" "$WORK/tampered-bundle.raucb"
echo "tamper check: a byte flipped mid-payload fails both WaveOS verify and rauc info" | tee -a "$WORK/machine.txt"
cat "$B"/payload.bin "$B"/app.wbundle "$B"/bundle.raucb > /dev/null   # into the page cache
ls -l "$B" | tee -a "$WORK/machine.txt"

R="$WORK/results.tsv"
: > "$R"
# run PART VARIANT ROUND CMD...: wall time of CMD in ms; CMD's stdout goes to out/PART-VARIANT-ROUND.
run() {
  local part=$1 variant=$2 round=$3; shift 3
  local t0 t1
  t0=$(date +%s%N)
  "$@" > "$WORK/out/$part-$variant-$round" 2>&1 || { echo "$part/$variant failed:" >&2; cat "$WORK/out/$part-$variant-$round" >&2; exit 1; }
  t1=$(date +%s%N)
  printf '%s\t%s\t%s\t%s\n' "$part" "$variant" "$round" "$(( (t1 - t0) / 1000 ))" >> "$R"
}

echo "== 1. verify, $N rounds ==" >&2
for i in $(seq "$N"); do
  run verify waveos-unit-flags "$i" java "${UNIT[@]}" -cp "$CP" "$MAIN" verify "$B"
  run verify waveos-c1-only "$i" java "${UNIT_C1[@]}" -cp "$CP" "$MAIN" verify "$B"
  run verify openssl-dgst "$i" openssl dgst -sha256 "$B/payload.bin"
  run verify rauc-info "$i" rauc info --keyring "$B/ca.pem" "$B/bundle.raucb"
done
java "${UNIT[@]}" -cp "$CP" "$MAIN" verify-loop "$B" "$WARMUP" "$N" > "$WORK/inproc-verify-unit.txt"
java "${UNIT_C1[@]}" -cp "$CP" "$MAIN" verify-loop "$B" "$WARMUP" "$N" > "$WORK/inproc-verify-c1.txt"

echo "== 2. install, $N rounds ==" >&2
D="$WORK/dest"
for i in $(seq "$N"); do
  rm -rf "$D"; mkdir -p "$D"; sync
  run install waveos-unit-flags "$i" java "${UNIT[@]}" -cp "$CP" "$MAIN" install "$B" "$D/state"
  rm -rf "$D"; mkdir -p "$D"; sync
  run install waveos-c1-only "$i" java "${UNIT_C1[@]}" -cp "$CP" "$MAIN" install "$B" "$D/state"
  rm -rf "$D"; mkdir -p "$D"; sync
  run install cp+sync "$i" sh -c 'cp "$1" "$2" && sync' - "$B/payload.bin" "$D/payload.bin"
  rm -rf "$D"; mkdir -p "$D"; sync
  run install 'cp+sync-f' "$i" sh -c 'cp "$1" "$2" && sync -f "$2"' - "$B/payload.bin" "$D/payload.bin"
  rm -rf "$D"; mkdir -p "$D"; sync
  run install 'cp+fsync' "$i" sh -c 'cp "$1" "$2" && sync "$2"' - "$B/payload.bin" "$D/payload.bin"
done
rm -rf "$D"; mkdir -p "$D"; sync
java "${UNIT[@]}" -cp "$CP" "$MAIN" install-loop "$B" "$D" "$WARMUP" "$N" > "$WORK/inproc-install-unit.txt"
java "${UNIT_C1[@]}" -cp "$CP" "$MAIN" install-loop "$B" "$D" "$WARMUP" "$N" > "$WORK/inproc-install-c1.txt"
rm -rf "$D"
echo "finished $(date -u +%FT%TZ), load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt"

"$PY" - "$WORK" "$(stat -c %s "$B/payload.bin")" "$(stat -c %s "$B/app.wbundle")" "$(stat -c %s "$B/bundle.raucb")" <<'PYEOF'
import collections, glob, os, re, statistics, sys
work, payload, wbundle, raucb = sys.argv[1], *map(int, sys.argv[2:])
rows = collections.defaultdict(list)
for line in open(os.path.join(work, "results.tsv")):
    part, variant, _, us = line.split("\t")
    rows[(part, variant)].append(int(us) / 1000)
def inner(pattern, key):
    vals = []
    for f in sorted(glob.glob(os.path.join(work, "out", pattern))):
        vals += [float(m) for m in re.findall(key + r" ([0-9.]+)", open(f).read())]
    return vals
def med(v): return statistics.median(v)
size = {"waveos-unit-flags": wbundle, "waveos-c1-only": wbundle, "openssl-dgst": payload, "rauc-info": raucb}
mib = lambda b: b / 1048576
def loop(name, key):
    return [float(x) for x in re.findall(key + r" ([0-9.]+)", open(os.path.join(work, name)).read())]
W = ["waveos-unit-flags", "waveos-c1-only"]
print()
print("1. verify (wall, process start included; median of N, all runs in ms)")
print(f"{'variant':<24}{'median ms':>10}{'MiB/s':>8}   runs")
for v in W + ["openssl-dgst", "rauc-info"]:
    r = rows[("verify", v)]
    print(f"{v:<24}{med(r):>10.1f}{mib(size[v]) / (med(r) / 1000):>8.0f}   {' '.join(f'{x:.0f}' for x in r)}")
rauc = med(rows[("verify", "rauc-info")])
for v, f in [("unit-flags", "unit"), ("c1-only", "c1")]:
    first = loop(f"inproc-verify-{f}.txt", "first_ms")[0]
    r = loop(f"inproc-verify-{f}.txt", "verify_ms")
    print(f"  waveos-{v} as the agent: first verify {first:.1f} ms ({first / rauc:.2f}x rauc), after warm-up median "
          f"{med(r):.1f} ms ({med(r) / rauc:.2f}x rauc, {mib(wbundle) / (med(r) / 1000):.0f} MiB/s)   runs {' '.join(f'{x:.0f}' for x in r)}")
for v in W:
    print(f"  ratio {v} fresh JVM / rauc-info: {med(rows[('verify', v)]) / rauc:.2f}x (target <= 1.2x)")
    print(f"    {v} fresh JVM, main() to end (JVM start excluded): median {med(inner(f'verify-{v}-[0-9]*', 'verify_ms')):.1f} ms")
print()
print("2. install (wall, process start included; median of N, all runs in ms)")
print(f"{'variant':<24}{'median ms':>10}{'MiB/s':>8}   runs")
for v in W + ["cp+sync", "cp+sync-f", "cp+fsync"]:
    r = rows[("install", v)]
    print(f"{v:<24}{med(r):>10.1f}{mib(payload) / (med(r) / 1000):>8.0f}   {' '.join(f'{x:.0f}' for x in r)}")
cp = med(rows[("install", "cp+sync")])
for v, f in [("unit-flags", "unit"), ("c1-only", "c1")]:
    first = loop(f"inproc-install-{f}.txt", "first_ms")[0]
    r = loop(f"inproc-install-{f}.txt", "install_ms")
    print(f"  waveos-{v} as the agent: first install {first:.1f} ms ({first / cp:.2f}x cp+sync), after warm-up median "
          f"{med(r):.1f} ms ({med(r) / cp:.2f}x cp+sync)   runs {' '.join(f'{x:.0f}' for x in r)}")
for v in W:
    print(f"  ratio {v} fresh JVM / cp+sync: {med(rows[('install', v)]) / cp:.2f}x (target <= 2x)")
    print(f"    {v} fresh JVM, main() to end (JVM start excluded): median {med(inner(f'install-{v}-[0-9]*', 'install_ms')):.1f} ms")
PYEOF
echo
echo "raw results: $WORK/results.tsv$([ "${KEEP:-0}" = 1 ] || echo ' (removed on exit; KEEP=1 keeps it)')"
