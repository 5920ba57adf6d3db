#!/bin/sh
# An optional service that ignores SIGTERM: the agent sends SIGKILL after the stop timeout.
trap '' TERM
echo "display: drawing"
while :; do sleep 1; done
