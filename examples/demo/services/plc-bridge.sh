#!/bin/sh
# An essential legacy bridge that crashes on its first seven starts (it counts them in a file), then
# settles: enough to push the agent into SAFE mode and, once stable, back to NORMAL.
work="$1"
n=$(cat "$work/plc-bridge.starts" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$work/plc-bridge.starts"
echo "plc-bridge: start $n"
if [ "$n" -le 7 ]; then
  sleep 0.4
  echo "plc-bridge: lost the PLC link, exiting" >&2
  exit 3
fi
while :; do sleep 1; done
