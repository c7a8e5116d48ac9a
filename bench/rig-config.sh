# Sourced by the benchmarks: the interimap configuration they all use on the rig, local over
# STARTTLS and remote over IMAPS (COMPRESS on by default), both verifying the rig's certificate.
# Needs the variables of `bin/rig env` (RIG_LOCAL_IMAP_PORT, RIG_REMOTE_IMAPS_PORT, RIG_CA_FILE).
config() { # config USER DIR
  cat > "$2/config" <<CONF
database = $2/state.db
[local]
type = imap
host = 127.0.0.1
port = $RIG_LOCAL_IMAP_PORT
STARTTLS = YES
SSL_CAfile = $RIG_CA_FILE
username = $1
password = secret
[remote]
type = imaps
host = localhost
port = $RIG_REMOTE_IMAPS_PORT
SSL_CAfile = $RIG_CA_FILE
username = $1
password = secret
CONF
}
