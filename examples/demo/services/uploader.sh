#!/bin/sh
# An optional service that always crashes shortly after start: it exhausts its restart intensity
# and the agent degrades instead of restarting it for ever.
echo "uploader: connecting to the fleet server"
sleep 0.3
echo "uploader: connection refused" >&2
exit 1
