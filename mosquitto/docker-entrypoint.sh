#!/bin/sh
# Container entry point of the broker: build the users and ACL from the environment, then run mosquitto in the
# foreground as PID 1 so SIGTERM reaches it and it saves its persistence file before exiting.
set -eu
sh /mosquitto/config/generate-auth.sh /tmp/mosquitto-auth
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
