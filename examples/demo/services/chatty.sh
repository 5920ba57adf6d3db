#!/bin/sh
# An optional service that floods stdout: its output files are rotated and capped.
i=0
while :; do
  i=$((i + 1))
  echo "chatty-logger: line $i the quick brown fox jumps over the lazy dog 0123456789"
  if [ $((i % 2000)) -eq 0 ]; then sleep 0.05; fi
done
