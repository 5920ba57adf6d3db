#!/bin/sh
# An optional service that just runs; SAFE mode stops it and NORMAL brings it back.
echo "web-ui: serving"
while :; do sleep 1; done
