#!/bin/sh
# A well-behaved essential service that becomes ready after half a second. It also forks a helper
# (a grandchild of the agent) to show that stopping a service stops its whole process group.
work="$1"
rm -f "$work/sensor.ready"
sleep 1000 &
sleep 0.5
touch "$work/sensor.ready"
echo "sensor: ready, helper pid $!"
while :; do sleep 1; done
