#!/bin/sh
# Starts the "local" or "remote" rig server in a container with the configuration mounted at
# /etc/dovecot/rig (config/dovecot of the project); makes the self-signed certificate on first start.
set -eu
name=${1:-local}
mkdir -p /srv/tls /srv/mail
if [ ! -s /srv/tls/cert.pem ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout /srv/tls/key.pem -out /srv/tls/cert.pem >/dev/null 2>&1
  chmod 600 /srv/tls/key.pem
fi
chown vmail:vmail /srv/mail
exec dovecot -F -c "/etc/dovecot/rig/$name.conf"
